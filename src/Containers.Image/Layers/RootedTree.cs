using Containers.Interop;

namespace Containers.Image;

/// <summary>
/// File operations confined to one directory: every path is resolved by openat2(RESOLVE_IN_ROOT) against the
/// root descriptor, so "..", absolute symlinks and symlinked parents never lead outside it; the final
/// component is then acted on with *at calls relative to its parent, which do not follow it.
/// </summary>
internal sealed class RootedTree : IDisposable
{
    private const OpenFlags PathFlags = OpenFlags.Path | OpenFlags.CloseOnExec;

    public RootedTree(string directory)
    {
        Directory.CreateDirectory(directory);
        Root = directory;
        RootFd = Syscalls.Openat2(SafeFd.CurrentDirectory, directory, OpenHow.Create(PathFlags | OpenFlags.Directory, ResolveFlags.None));
    }

    public string Root { get; }

    public SafeFd RootFd { get; }

    public void Dispose() => RootFd.Dispose();

    /// <summary>The directory that holds <paramref name="parts"/>' last component, created (mode 0755) where missing.</summary>
    public SafeFd OpenParent(IReadOnlyList<string> parts) => OpenDirectory(parts.Take(parts.Count - 1).ToList(), create: true);

    public SafeFd OpenDirectory(IReadOnlyList<string> parts, bool create)
    {
        string path = parts.Count == 0 ? "." : LayerPath.Join(parts);
        try
        {
            return Syscalls.Openat2(RootFd, path, OpenHow.Create(PathFlags | OpenFlags.Directory, ResolveFlags.InRoot | ResolveFlags.NoMagicLinks));
        }
        catch (SyscallException e) when (create && e.Errno == Errno.ENOENT && parts.Count > 0)
        {
            using (SafeFd parent = OpenDirectory(parts.Take(parts.Count - 1).ToList(), create: true))
            {
                try
                {
                    Syscalls.Mkdirat(parent, parts[^1], 0b111_101_101);
                }
                catch (SyscallException exists) when (exists.Errno == Errno.EEXIST)
                {
                    // A dangling symlink or a racing create: the open below tells which.
                }
            }

            return Syscalls.Openat2(RootFd, path, OpenHow.Create(PathFlags | OpenFlags.Directory, ResolveFlags.InRoot | ResolveFlags.NoMagicLinks));
        }
    }

    /// <summary>An O_PATH descriptor on <paramref name="parts"/> itself (a final symlink is not followed), resolved in root.</summary>
    public SafeFd OpenNoFollow(IReadOnlyList<string> parts) =>
        Syscalls.Openat2(RootFd, parts.Count == 0 ? "." : LayerPath.Join(parts), OpenHow.Create(PathFlags | OpenFlags.NoFollow, ResolveFlags.InRoot | ResolveFlags.NoMagicLinks));

    /// <summary>statx of <paramref name="name"/> in <paramref name="parent"/>, not following it; null if absent.</summary>
    public static StatxBuffer? Stat(SafeFd parent, string name)
    {
        try
        {
            Syscalls.Statx(parent, name, AtFlags.SymlinkNoFollow, StatxMask.Type | StatxMask.Mode, out StatxBuffer buffer);
            return buffer;
        }
        catch (SyscallException e) when (e.Errno == Errno.ENOENT)
        {
            return null;
        }
    }

    /// <summary>Removes <paramref name="name"/> in <paramref name="parent"/>, a directory with all it holds; nothing if absent.</summary>
    public static void RemoveAll(SafeFd parent, string name)
    {
        StatxBuffer? stat = Stat(parent, name);
        if (stat is null)
        {
            return;
        }

        if (stat.Value.IsDirectory)
        {
            using SafeFd directory = Syscalls.Openat2(parent, name, OpenHow.Create(PathFlags | OpenFlags.Directory | OpenFlags.NoFollow, ResolveFlags.Beneath | ResolveFlags.NoSymlinks));
            foreach (string child in ListNames(directory))
            {
                RemoveAll(directory, child);
            }

            Syscalls.Unlinkat(parent, name, AtFlags.RemoveDir);
        }
        else
        {
            Syscalls.Unlinkat(parent, name, AtFlags.None);
        }
    }

    /// <summary>Names in a directory given by descriptor (read through its /proc/self/fd link; only names are taken from it).</summary>
    public static List<string> ListNames(SafeFd directory) =>
        new DirectoryInfo(ProcPath(directory)).EnumerateFileSystemInfos().Select(i => i.Name).ToList();

    /// <summary>/proc/self/fd/N: a path that reaches exactly the inode <paramref name="fd"/> holds.</summary>
    public static string ProcPath(SafeFd fd) => "/proc/self/fd/" + fd.Value;
}
