using System.Diagnostics;
using System.Formats.Tar;
using System.IO.Compression;
using System.Security.Cryptography;
using Containers.Interop;

namespace Containers.Engine;

/// <summary>
/// The container's root: an overlay (lower = the user's directory, or a tarball extracted once into
/// DATA/rootfs/SHA256; upper and work beside the bundle) mounted on bundle/rootfs, so the source is
/// never modified. When overlay cannot be mounted (nested overlay, odd filesystems) a private copy.
/// </summary>
internal static class RootfsProvider
{
    /// <summary>The lower directory for <paramref name="source"/>: the directory itself, or the extracted tarball.</summary>
    public static string LowerDirFor(string source, string cacheDir)
    {
        if (Directory.Exists(source)) return source;
        if (!File.Exists(source))
        {
            throw SpecBuilder.Invalid("Rootfs", $"\"{source}\" does not exist");
        }
        if (!IsTarball(source))
        {
            throw SpecBuilder.Invalid("Rootfs", $"\"{source}\" is neither a directory nor a .tar, .tar.gz or .tgz file");
        }
        string hash;
        using (FileStream file = File.OpenRead(source))
        {
            hash = Convert.ToHexStringLower(SHA256.HashData(file));
        }
        string target = Path.Join(cacheDir, hash);
        if (Directory.Exists(target)) return target;
        Directory.CreateDirectory(cacheDir);
        string temp = Path.Join(cacheDir, $".{hash}.{Environment.ProcessId}.{Guid.NewGuid():N}");
        try
        {
            Directory.CreateDirectory(temp);
            TarExtractor.Extract(source, temp);
            try
            {
                Directory.Move(temp, target);
            }
            catch (IOException) when (Directory.Exists(target))
            {
                // another session extracted it at the same time: use theirs
            }
        }
        catch (InvalidDataException e)
        {
            throw SpecBuilder.Invalid("Rootfs", $"\"{source}\": {e.Message}");
        }
        finally
        {
            if (Directory.Exists(temp)) Directory.Delete(temp, recursive: true);
        }
        return target;
    }

    public static bool IsTarball(string path) =>
        path.EndsWith(".tar", StringComparison.OrdinalIgnoreCase) || path.EndsWith(".tar.gz", StringComparison.OrdinalIgnoreCase)
        || path.EndsWith(".tgz", StringComparison.OrdinalIgnoreCase);

    /// <summary>Mounts the overlay on <paramref name="target"/>; returns "overlay", or "copy" with <paramref name="warning"/> set.</summary>
    public static string Provide(string lowerDir, string containerDir, string target, out string? warning)
    {
        warning = null;
        Directory.CreateDirectory(target);
        try
        {
            MountOverlay(lowerDir, containerDir, target);
            return "overlay";
        }
        catch (SyscallException e)
        {
            warning = $"overlay mount on {target} failed ({e.Message}); using a private copy of {lowerDir} instead";
            DeleteOverlayDirs(containerDir);
            Copy(lowerDir, target);
            return "copy";
        }
    }

    /// <summary>Mounts again after a reboot (the mount is gone, the upper directory is not).</summary>
    public static void EnsureMounted(string mode, string lowerDir, string containerDir, string target)
    {
        if (mode == "overlay" && !IsMountPoint(target))
        {
            MountOverlay(lowerDir, containerDir, target);
        }
    }

    /// <summary>Unmounts every mount stacked on <paramref name="target"/> (lazily when busy); throws if one stays.</summary>
    public static void Release(string target)
    {
        for (int i = 0; IsMountPoint(target); i++)
        {
            if (i == 16) throw new EngineException(EngineErrorKind.Failed, $"{target} is still mounted after {i} unmounts");
            Errno errno = Syscalls.TryUmount2(target, UmountFlags.None);
            if (errno == Errno.EINVAL || errno == Errno.ENOENT) return; // not a mount point (any more) after all
            if (!errno.IsSuccess) Syscalls.Umount2(target, UmountFlags.Detach);
        }
    }

    public static bool IsMountPoint(string path)
    {
        string full = Path.GetFullPath(path).TrimEnd('/');
        foreach (string line in File.ReadLines("/proc/self/mountinfo"))
        {
            string[] fields = line.Split(' ');
            if (fields.Length > 4 && Unescape(fields[4]) == full) return true;
        }
        return false;
    }

    private static string Unescape(string field) =>
        field.Replace("\\040", " ").Replace("\\011", "\t").Replace("\\012", "\n").Replace("\\134", "\\");

    private static void MountOverlay(string lowerDir, string containerDir, string target)
    {
        string upper = Path.Join(containerDir, "upper"), work = Path.Join(containerDir, "work");
        Directory.CreateDirectory(upper);
        Directory.CreateDirectory(work);
        foreach (string dir in new[] { lowerDir, upper, work })
        {
            if (dir.IndexOfAny([',', ':']) >= 0)
            {
                throw new SyscallException("mount", Errno.EINVAL, $"overlay path \"{dir}\" contains ',' or ':'");
            }
        }
        Syscalls.Mount("overlay", target, "overlay", MountFlags.None, $"lowerdir={lowerDir},upperdir={upper},workdir={work}");
    }

    private static void DeleteOverlayDirs(string containerDir)
    {
        foreach (string dir in new[] { "upper", "work" })
        {
            string path = Path.Join(containerDir, dir);
            if (Directory.Exists(path)) Directory.Delete(path, recursive: true);
        }
    }

    /// <summary>cp -a semantics: owners, modes, links, devices and times kept.</summary>
    private static void Copy(string source, string target)
    {
        var cp = new ProcessStartInfo("cp") { RedirectStandardError = true, UseShellExecute = false };
        foreach (string a in new[] { "-a", "--", source.TrimEnd('/') + "/.", target }) cp.ArgumentList.Add(a);
        using Process process = Process.Start(cp)!;
        string error = process.StandardError.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0)
        {
            throw new EngineException(EngineErrorKind.Failed, $"copy of rootfs {source} failed: {error.Trim()}");
        }
    }
}

/// <summary>Extracts a rootfs tarball without letting any entry land outside the target.</summary>
internal static class TarExtractor
{
    public static void Extract(string tarball, string target)
    {
        string root = Path.GetFullPath(target).TrimEnd('/') + "/";
        using FileStream file = File.OpenRead(tarball);
        Stream stream = tarball.EndsWith(".tar", StringComparison.OrdinalIgnoreCase) ? file : new GZipStream(file, CompressionMode.Decompress);
        using var reader = new TarReader(stream);
        var directories = new List<(string Path, TarEntry Entry)>();
        while (reader.GetNextEntry() is { } entry)
        {
            if (entry.Name.Split('/').Contains("..")) throw new InvalidDataException($"tar entry \"{entry.Name}\" contains ..");
            string path = Path.GetFullPath(Path.Join(root, entry.Name.TrimStart('/'))).TrimEnd('/');
            if (!(path + "/").StartsWith(root, StringComparison.Ordinal)) throw new InvalidDataException($"tar entry \"{entry.Name}\" escapes the rootfs");
            if (path + "/" == root) continue;
            EnsureNoSymlinkParents(root, path, entry.Name);
            switch (entry.EntryType)
            {
                case TarEntryType.Directory:
                    Directory.CreateDirectory(path);
                    directories.Add((path, entry));
                    break;
                case TarEntryType.RegularFile or TarEntryType.V7RegularFile or TarEntryType.ContiguousFile:
                    Directory.CreateDirectory(Path.GetDirectoryName(path)!);
                    DeleteExisting(path);
                    entry.ExtractToFile(path, overwrite: false);
                    Own(path, entry);
                    break;
                case TarEntryType.SymbolicLink:
                    Directory.CreateDirectory(Path.GetDirectoryName(path)!);
                    DeleteExisting(path);
                    File.CreateSymbolicLink(path, entry.LinkName);
                    Own(path, entry);
                    break;
                case TarEntryType.HardLink:
                    string linkTarget = Path.GetFullPath(Path.Join(root, entry.LinkName.TrimStart('/')));
                    if (entry.LinkName.Split('/').Contains("..") || !linkTarget.StartsWith(root, StringComparison.Ordinal))
                    {
                        throw new InvalidDataException($"tar hard link \"{entry.Name}\" → \"{entry.LinkName}\" escapes the rootfs");
                    }
                    EnsureNoSymlinkParents(root, linkTarget, entry.LinkName);
                    if (new FileInfo(linkTarget).LinkTarget is not null) throw new InvalidDataException($"tar hard link \"{entry.Name}\" points at a symbolic link");
                    Directory.CreateDirectory(Path.GetDirectoryName(path)!);
                    DeleteExisting(path);
                    File.Copy(linkTarget, path); // a copy: File has no link(2); content and mode are what matter
                    Own(path, entry);
                    break;
                default:
                    break; // devices and fifos: /dev is the runtime's; skipped
            }
        }
        // Directory modes last: a read-only directory must not stop its own extraction.
        foreach ((string path, TarEntry entry) in directories)
        {
            File.SetUnixFileMode(path, entry.Mode);
            Own(path, entry);
        }
    }

    private static void EnsureNoSymlinkParents(string root, string path, string entryName)
    {
        string relative = path[root.Length..];
        string current = root.TrimEnd('/');
        string[] parts = relative.Split('/', StringSplitOptions.RemoveEmptyEntries);
        for (int i = 0; i < parts.Length - 1; i++)
        {
            current += "/" + parts[i];
            var info = new FileInfo(current);
            if (info.Exists || Directory.Exists(current))
            {
                if (info.LinkTarget is not null) throw new InvalidDataException($"tar entry \"{entryName}\" would be written through the symbolic link {current[root.Length..]}");
            }
        }
    }

    private static void DeleteExisting(string path)
    {
        var info = new FileInfo(path);
        if (info.LinkTarget is not null || info.Exists) info.Delete();
    }

    private static void Own(string path, TarEntry entry)
    {
        if (entry is PosixTarEntry posix)
        {
            Syscalls.Fchownat(SafeFd.CurrentDirectory, path, (uint)posix.Uid, (uint)posix.Gid, AtFlags.SymlinkNoFollow);
        }
        if (entry.EntryType != TarEntryType.SymbolicLink && entry.EntryType != TarEntryType.Directory)
        {
            File.SetUnixFileMode(path, entry.Mode); // after chown: chown clears set-id bits
        }
    }
}
