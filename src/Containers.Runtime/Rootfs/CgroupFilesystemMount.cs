using Containers.Interop;

namespace Containers.Runtime.Rootfs;

/// <summary>
/// The container's /sys/fs/cgroup, whatever the host runs: cgroup2 alone, v1 controllers, or both
/// (hybrid). With a cgroup namespace each hierarchy is mounted afresh and shows the container's
/// cgroup as its root; without one, the container's own cgroup directories are bind-mounted.
/// </summary>
public sealed class CgroupFilesystemMount
{
    private readonly RootfsPaths _paths;
    private readonly bool _newNamespace;

    public CgroupFilesystemMount(RootfsPaths paths, bool newNamespace)
    {
        _paths = paths;
        _newNamespace = newNamespace;
    }

    public void Mount(string destination, MountOptions options)
    {
        MountFlags flags = (options.Flags & (MountFlags.ReadOnly | MountFlags.NoSuid | MountFlags.NoDev | MountFlags.NoExec | MountFlags.RelAtime))
                           | MountFlags.NoSuid | MountFlags.NoDev | MountFlags.NoExec;
        List<HostHierarchy> hierarchies = HostHierarchy.Read();
        HostHierarchy? unifiedRoot = hierarchies.Find(h => h.IsV2 && h.MountPoint == "/sys/fs/cgroup");
        if (unifiedRoot is not null)
        {
            MountHierarchy(destination, unifiedRoot, flags);
            return;
        }

        using (SafeFd target = _paths.EnsurePath(destination, asFile: false))
        {
            Syscalls.Mount("tmpfs", RootfsPaths.ProcPath(target), "tmpfs", flags & ~MountFlags.ReadOnly, "mode=755");
        }
        foreach (HostHierarchy hierarchy in hierarchies)
        {
            string name = Path.GetFileName(hierarchy.MountPoint);
            MountHierarchy(destination + "/" + name, hierarchy, flags);
            foreach (string alias in name.Split(',').Where(a => a != name))
            {
                using SafeFd dir = _paths.OpenPath(destination, directory: true);
                Syscalls.TrySymlinkat(name, dir, alias); // cpu -> cpu,cpuacct
            }
        }
        if ((flags & MountFlags.ReadOnly) != 0)
        {
            using SafeFd tmpfs = _paths.OpenPath(destination, directory: true);
            Syscalls.MountSetattr(tmpfs, "", AtFlags.EmptyPath, new MountAttributes { Set = MountAttr.ReadOnly });
        }
    }

    private void MountHierarchy(string destination, HostHierarchy hierarchy, MountFlags flags)
    {
        using SafeFd target = _paths.EnsurePath(destination, asFile: false);
        string targetPath = RootfsPaths.ProcPath(target);
        if (_newNamespace)
        {
            Syscalls.Mount(hierarchy.IsV2 ? "cgroup2" : "cgroup", targetPath, hierarchy.IsV2 ? "cgroup2" : "cgroup", flags,
                hierarchy.IsV2 ? null : hierarchy.Options);
            return;
        }
        // Without a namespace: bind the container's own cgroup of that hierarchy.
        string own = Path.Join(hierarchy.MountPoint, hierarchy.OwnCgroup);
        Syscalls.Mount(own, targetPath, null, MountFlags.Bind, null);
        using SafeFd mounted = _paths.OpenPath(destination, directory: true);
        Syscalls.MountSetattr(mounted, "", AtFlags.EmptyPath, new MountAttributes
        {
            Set = MountAttr.NoSuid | MountAttr.NoDev | MountAttr.NoExec | ((flags & MountFlags.ReadOnly) != 0 ? MountAttr.ReadOnly : 0),
        });
    }

    /// <summary>A cgroup hierarchy mounted on the host, from /proc/self/mountinfo and /proc/self/cgroup.</summary>
    private sealed record HostHierarchy(string MountPoint, bool IsV2, string Options, string OwnCgroup)
    {
        public static List<HostHierarchy> Read()
        {
            var own = new Dictionary<string, string>();
            foreach (string line in File.ReadLines("/proc/self/cgroup"))
            {
                string[] parts = line.Split(':', 3);
                if (parts.Length == 3)
                {
                    own[parts[1]] = parts[2];
                }
            }

            var result = new List<HostHierarchy>();
            foreach (string line in File.ReadLines("/proc/self/mountinfo"))
            {
                // id parent major:minor root mountpoint options [optional...] - fstype source superoptions
                int dash = line.IndexOf(" - ", StringComparison.Ordinal);
                if (dash < 0) continue;
                string[] left = line[..dash].Split(' ');
                string[] right = line[(dash + 3)..].Split(' ');
                if (right.Length < 3 || (right[0] != "cgroup" && right[0] != "cgroup2")) continue;
                string mountPoint = left[4].Replace("\\040", " ");
                if (!mountPoint.StartsWith("/sys/fs/cgroup", StringComparison.Ordinal)) continue;
                bool v2 = right[0] == "cgroup2";
                string controllers = v2 ? "" : string.Join(',', right[2].Split(',').Where(o => o is not ("rw" or "ro") && !o.StartsWith("release_agent", StringComparison.Ordinal) && o != "clone_children" && o != "noprefix" && o != "xattr"));
                string key = v2 ? "" : controllers;
                own.TryGetValue(key, out string? ownPath);
                result.Add(new HostHierarchy(mountPoint, v2, controllers, ownPath ?? "/"));
            }
            return result;
        }
    }
}
