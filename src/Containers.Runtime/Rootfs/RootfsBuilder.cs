using Containers.Interop;
using Containers.Runtime.Spec;

namespace Containers.Runtime.Rootfs;

/// <summary>
/// Builds a container's filesystem inside init's new mount namespace: propagation, the rootfs bind,
/// the spec's mounts, /dev, then pivot_root and the masked and read-only paths.
/// Every step names what it did when it fails.
/// </summary>
public sealed class RootfsBuilder
{
    private readonly RuntimeSpec _spec;
    private readonly string _bundle;
    private readonly string _rootfs;

    public RootfsBuilder(RuntimeSpec spec, string bundle, string rootfs)
    {
        _spec = spec;
        _bundle = bundle;
        _rootfs = rootfs;
    }

    /// <summary>Sets the propagation of / and makes the rootfs a mount point of its own.</summary>
    public void PrepareRoot()
    {
        MountFlags propagation = MountOptions.ParseRootPropagation(_spec.Linux?.RootfsPropagation);
        Syscalls.Mount(null, "/", null, propagation, null);
        Syscalls.Mount(_rootfs, _rootfs, null, MountFlags.Bind | MountFlags.Recursive, null);
        // pivot_root refuses a new root whose mount is shared: keep ours private whatever / became.
        Syscalls.Mount(null, _rootfs, null, MountFlags.Private, null);
    }

    /// <summary>Mounts config.json's mounts in order, then populates /dev if it is a fresh tmpfs.</summary>
    public void MountAll(bool newCgroupNamespace)
    {
        using var paths = new RootfsPaths(_rootfs);
        bool devIsFresh = false;
        foreach (MountSpec mount in _spec.Mounts ?? [])
        {
            string destination = mount.Destination!;
            try
            {
                MountOne(paths, mount, newCgroupNamespace);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException)
            {
                throw new InitStepException($"mount {mount.Type ?? "bind"} {mount.Source} on {destination}", e);
            }
            if (destination.TrimEnd('/') == "/dev" && mount.Type is "tmpfs" or "devtmpfs")
            {
                devIsFresh = true;
            }
        }
        var devices = new DeviceNodes(paths, _spec.Linux?.Devices ?? []);
        devices.Create(includeDefaults: devIsFresh);
        if (devIsFresh)
        {
            devices.CreateStandardLinks();
        }
        // runc creates a missing cwd, before the root may turn read-only; resolved in the root like a mount target
        if (_spec.Process?.Cwd is { Length: > 0 } cwd)
        {
            try
            {
                paths.EnsurePath(cwd, asFile: false).Dispose();
            }
            catch (IOException e)
            {
                throw new InitStepException($"cwd {cwd}", e);
            }
        }
    }

    private void MountOne(RootfsPaths paths, MountSpec mount, bool newCgroupNamespace)
    {
        MountOptions options = MountOptions.Parse(mount.Options);
        string type = mount.Type ?? (options.IsBind ? "bind" : "none");
        if (type == "cgroup" || type == "cgroup2")
        {
            new CgroupFilesystemMount(paths, newCgroupNamespace).Mount(mount.Destination!, options);
            return;
        }

        bool bind = options.IsBind || type == "bind";
        string? source = mount.Source;
        if (bind)
        {
            source = Path.IsPathRooted(source) ? source : Path.GetFullPath(Path.Join(_bundle, source));
            bool sourceIsDir = Directory.Exists(source);
            if (!sourceIsDir && !File.Exists(source))
            {
                throw new InitStepException($"mount {source} on {mount.Destination}", new FileNotFoundException($"bind source \"{source}\" does not exist"));
            }
            using (SafeFd target = paths.EnsurePath(mount.Destination!, asFile: !sourceIsDir))
            {
                Syscalls.Mount(source, RootfsPaths.ProcPath(target), null, MountFlags.Bind | (options.Flags & MountFlags.Recursive), null);
            }
            using SafeFd mounted = paths.OpenPath(mount.Destination!);
            SetBindAttributes(mounted, options);
            ApplyPropagation(mounted, options);
            return;
        }

        using (SafeFd target = paths.EnsurePath(mount.Destination!, asFile: false))
        {
            MountFlags flags = options.Flags & ~(MountFlags.Remount | MountFlags.Bind);
            string? data = options.Data.Length == 0 ? null : options.Data;
            Syscalls.Mount(source ?? type, RootfsPaths.ProcPath(target), type, flags, data);
        }
        if (options.Propagation.Count > 0)
        {
            using SafeFd mounted = paths.OpenPath(mount.Destination!);
            ApplyPropagation(mounted, options);
        }
    }

    /// <summary>ro, nosuid, nodev, noexec... on a bind: mount_setattr changes only what is asked.</summary>
    private static void SetBindAttributes(SafeFd mounted, MountOptions options)
    {
        var attributes = new MountAttributes { Set = ToAttr(options.Flags), Clear = ToAttr(options.ClearedFlags) };
        if (attributes.Set == MountAttr.None && attributes.Clear == MountAttr.None)
        {
            return;
        }
        AtFlags recursive = (options.Flags & MountFlags.Recursive) != 0 ? AtFlags.Recursive : AtFlags.None;
        Syscalls.MountSetattr(mounted, "", AtFlags.EmptyPath | recursive, attributes);
    }

    private static void ApplyPropagation(SafeFd mounted, MountOptions options)
    {
        foreach (MountFlags propagation in options.Propagation)
        {
            Syscalls.Mount(null, RootfsPaths.ProcPath(mounted), null, propagation, null);
        }
    }

    private static MountAttr ToAttr(MountFlags flags)
    {
        MountAttr attr = MountAttr.None;
        if ((flags & MountFlags.ReadOnly) != 0) attr |= MountAttr.ReadOnly;
        if ((flags & MountFlags.NoSuid) != 0) attr |= MountAttr.NoSuid;
        if ((flags & MountFlags.NoDev) != 0) attr |= MountAttr.NoDev;
        if ((flags & MountFlags.NoExec) != 0) attr |= MountAttr.NoExec;
        if ((flags & MountFlags.NoDirAtime) != 0) attr |= MountAttr.NoDirAtime;
        if ((flags & MountFlags.NoSymFollow) != 0) attr |= MountAttr.NoSymFollow;
        return attr;
    }

    /// <summary>Makes the rootfs "/" (pivot_root, or MS_MOVE + chroot when <paramref name="noPivot"/>).</summary>
    public void EnterRoot(bool noPivot)
    {
        Syscalls.Chdir(_rootfs);
        if (noPivot)
        {
            Syscalls.Mount(_rootfs, "/", null, MountFlags.Move, null);
            Syscalls.Chroot(".");
        }
        else
        {
            // pivot_root(".", ".") stacks the old root under the new one; detach it at once (as runc does).
            Syscalls.PivotRoot(".", ".");
            Syscalls.Mount(null, ".", null, MountFlags.Slave | MountFlags.Recursive, null);
            Syscalls.Umount2(".", UmountFlags.Detach);
        }
        Syscalls.Chdir("/");
    }

    /// <summary>After pivot_root: readonly root, masked and read-only paths.</summary>
    public void Finish()
    {
        if (_spec.Root?.Readonly == true)
        {
            Syscalls.MountSetattr(SafeFd.CurrentDirectory, "/", AtFlags.None, new MountAttributes { Set = MountAttr.ReadOnly });
        }
        foreach (string path in _spec.Linux?.MaskedPaths ?? [])
        {
            MaskPath(path);
        }
        foreach (string path in _spec.Linux?.ReadonlyPaths ?? [])
        {
            MakeReadOnly(path);
        }
    }

    private static void MaskPath(string path)
    {
        if (Directory.Exists(path))
        {
            Syscalls.Mount("tmpfs", path, "tmpfs", MountFlags.ReadOnly, null);
        }
        else if (File.Exists(path) || Path.Exists(path))
        {
            Syscalls.Mount("/dev/null", path, null, MountFlags.Bind, null);
        }
    }

    private static void MakeReadOnly(string path)
    {
        if (!Path.Exists(path))
        {
            return;
        }
        Syscalls.Mount(path, path, null, MountFlags.Bind | MountFlags.Recursive, null);
        Syscalls.MountSetattr(SafeFd.CurrentDirectory, path, AtFlags.Recursive,
            new MountAttributes { Set = MountAttr.ReadOnly });
    }
}
