using Containers.Interop;

namespace Containers.Runtime.Rootfs;

/// <summary>
/// Paths inside a container's root, resolved by the kernel with the root as "/" (openat2 RESOLVE_IN_ROOT),
/// so a symlink in an image cannot lead a mount or a mknod outside it (CVE-2021-30465).
/// </summary>
public sealed class RootfsPaths : IDisposable
{
    private const ResolveFlags InRoot = ResolveFlags.InRoot | ResolveFlags.NoMagicLinks;

    public RootfsPaths(string rootfs)
    {
        HostPath = rootfs;
        Root = Syscalls.Openat2(SafeFd.CurrentDirectory, rootfs,
            OpenHow.Create(OpenFlags.Path | OpenFlags.Directory | OpenFlags.CloseOnExec, ResolveFlags.None));
    }

    public string HostPath { get; }

    public SafeFd Root { get; }

    /// <summary>Opens <paramref name="path"/> (container view) as an O_PATH descriptor inside the root.</summary>
    public SafeFd OpenPath(string path, bool directory = false) =>
        Syscalls.Openat2(Root, Relative(path),
            OpenHow.Create(OpenFlags.Path | OpenFlags.CloseOnExec | (directory ? OpenFlags.Directory : 0), InRoot));

    /// <summary>
    /// Makes sure <paramref name="path"/> exists inside the root, creating missing directories (and the
    /// last component as an empty file when <paramref name="asFile"/>), and returns it opened O_PATH.
    /// </summary>
    public SafeFd EnsurePath(string path, bool asFile, uint mode = 0x1ED /* 0755 */)
    {
        string relative = Relative(path);
        if (relative == ".")
        {
            return OpenPath(".", directory: true);
        }
        if (Syscalls.TryOpenat2(Root, relative,
                OpenHow.Create(OpenFlags.Path | OpenFlags.CloseOnExec, InRoot), (nuint)OpenHow.SizeVer0, out SafeFd existing).IsSuccess)
        {
            return existing;
        }

        string[] parts = relative.Split('/', StringSplitOptions.RemoveEmptyEntries);
        SafeFd dir = OpenPath(".", directory: true);
        for (int i = 0; i < parts.Length; i++)
        {
            bool last = i == parts.Length - 1;
            string prefix = string.Join('/', parts, 0, i + 1);
            if (last && asFile)
            {
                using SafeFd parent = dir;
                Syscalls.TryMknodat(parent, parts[i], 0x8000 /* 0100000 */ | 0x1A4u /* 0644 */ /* S_IFREG */, 0); // EEXIST is fine
                return OpenPath(prefix);
            }
            Syscalls.TryMkdirat(dir, parts[i], mode); // EEXIST is fine; what exists is resolved below
            dir.Dispose();
            dir = OpenPath(prefix, directory: true);
        }
        return dir;
    }

    /// <summary>The /proc/self/fd path that names an O_PATH descriptor, for calls that take a path.</summary>
    public static string ProcPath(SafeFd fd) => "/proc/self/fd/" + fd.Value;

    private static string Relative(string path)
    {
        string trimmed = path.TrimStart('/');
        return trimmed.Length == 0 ? "." : trimmed;
    }

    public void Dispose() => Root.Dispose();
}
