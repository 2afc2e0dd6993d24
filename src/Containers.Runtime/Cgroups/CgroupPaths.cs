namespace Containers.Runtime.Cgroups;

/// <summary>Where a container's cgroupsPath lands in one hierarchy.</summary>
public static class CgroupPaths
{
    /// <summary>
    /// An absolute cgroupsPath is under the hierarchy's root; a relative one is under the cgroup
    /// this process is in (runc's GetOwnCgroup), so nested runtimes stay inside their own slice.
    /// Inside a cgroup namespace or a bind-mounted hierarchy the mount shows <c>mount.Root</c> as "/".
    /// </summary>
    public static string Resolve(CgroupMount mount, string? ownCgroup, string cgroupsPath)
    {
        Validate(cgroupsPath);
        string inHierarchy = cgroupsPath.StartsWith('/')
            ? cgroupsPath
            : (ownCgroup ?? "/").TrimEnd('/') + "/" + cgroupsPath;
        string relative = TrimRoot(inHierarchy, mount.Root).Trim('/');
        return relative.Length == 0 ? mount.MountPoint : Path.Join(mount.MountPoint, relative);
    }

    /// <summary>
    /// After a container's cgroups are gone, removes the empty parents that a nested relative
    /// cgroupsPath ("containers-ps/ID") introduced under our own cgroup; never more levels than the
    /// path has, never a parent that still holds a cgroup (rmdir refuses it), never an absolute path's.
    /// </summary>
    public static void PruneEmptyParents(string cgroupsPath, IEnumerable<string> containerDirectories, ICgroupFileSystem fs)
    {
        if (cgroupsPath.StartsWith('/'))
        {
            return;
        }
        int levels = cgroupsPath.Trim('/').Split('/', StringSplitOptions.RemoveEmptyEntries).Length - 1;
        foreach (string directory in containerDirectories)
        {
            string current = directory.TrimEnd('/');
            for (int i = 0; i < levels; i++)
            {
                current = Path.GetDirectoryName(current) ?? "/";
                try
                {
                    fs.RemoveDirectory(current);
                }
                catch (IOException)
                {
                    break; // not empty (another container), already gone, or busy: leave it
                }
            }
        }
    }

    public static void Validate(string cgroupsPath)
    {
        if (string.IsNullOrWhiteSpace(cgroupsPath))
        {
            throw new ArgumentException("linux.cgroupsPath: must not be empty (the caller defaults it to the container id)", nameof(cgroupsPath));
        }

        if (cgroupsPath.Split('/').Any(part => part is ".." or "."))
        {
            throw new ArgumentException($"linux.cgroupsPath: \"{cgroupsPath}\" must not contain \".\" or \"..\" components", nameof(cgroupsPath));
        }

        if (cgroupsPath.Trim('/').Length == 0)
        {
            throw new ArgumentException("linux.cgroupsPath: \"/\" is the hierarchy root, not a container's cgroup", nameof(cgroupsPath));
        }
    }

    private static string TrimRoot(string path, string root)
    {
        if (root == "/" || root.Length == 0)
        {
            return path;
        }

        return path == root ? "/"
            : path.StartsWith(root + "/", StringComparison.Ordinal) ? path[root.Length..]
            : path;
    }
}

/// <summary>Removes cgroup directories bottom-up, retrying while they drain.</summary>
public static class CgroupRemover
{
    /// <summary>Total time rmdir is retried on EBUSY before giving up.</summary>
    public static TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(5);

    public static void Remove(ICgroupFileSystem fs, string path)
    {
        // The usual case, a drained leaf, in one rmdir; children and draining tasks take the long way.
        try
        {
            fs.RemoveDirectory(path);
            return;
        }
        catch (Containers.Interop.SyscallException e) when (e.Errno == Containers.Interop.Errno.ENOENT)
        {
            return;
        }
        catch (Containers.Interop.SyscallException e) when (e.Errno == Containers.Interop.Errno.EBUSY || e.Errno == Containers.Interop.Errno.ENOTEMPTY)
        {
        }

        if (!fs.DirectoryExists(path))
        {
            return;
        }

        foreach (string child in fs.EnumerateDirectories(path).ToArray())
        {
            Remove(fs, child);
        }

        // Exiting tasks leave a cgroup asynchronously after they die: rmdir gets EBUSY until then.
        var watch = System.Diagnostics.Stopwatch.StartNew();
        // No event tells (on v1) when a killed task has been reaped: retry soon first, then back off.
        TimeSpan delay = TimeSpan.FromMilliseconds(1);
        while (true)
        {
            try
            {
                fs.RemoveDirectory(path);
                return;
            }
            catch (Containers.Interop.SyscallException e) when (e.Errno == Containers.Interop.Errno.ENOENT)
            {
                return;
            }
            catch (Containers.Interop.SyscallException e) when (e.Errno == Containers.Interop.Errno.EBUSY && watch.Elapsed < Timeout)
            {
                Thread.Sleep(delay);
                delay = TimeSpan.FromMilliseconds(Math.Min(delay.TotalMilliseconds * 2, 200));
            }
        }
    }
}
