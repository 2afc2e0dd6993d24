namespace Containers.Interop;

/// <summary>Mounts: the classic mount(2) family and the fd-based mount API (kernel 5.2+).</summary>
public static partial class Syscalls
{
    /// <summary>mount(2).</summary>
    [Syscall("mount")]
    public static partial void Mount(string? source, string target, string? fileSystemType, MountFlags flags, string? data);

    /// <summary>umount2(2).</summary>
    [Syscall("umount2")]
    public static partial void Umount2(string target, UmountFlags flags);

    /// <summary>pivot_root(2): glibc has no wrapper.</summary>
    [Syscall("pivot_root", Binding = SyscallBinding.Raw)]
    public static partial void PivotRoot(string newRoot, string putOld);

    /// <summary>fsopen(2): a filesystem context to configure with fsconfig.</summary>
    [Syscall("fsopen", Binding = SyscallBinding.Raw)]
    public static partial SafeFd Fsopen(string fileSystemName, FsopenFlags flags);

    /// <summary>fsconfig(2) with a string (or no) value.</summary>
    [Syscall("fsconfig", Binding = SyscallBinding.Raw)]
    public static partial void Fsconfig(SafeFd fsfd, FsconfigCommand command, string? key, string? value, int aux);

    /// <summary>fsmount(2): a detached mount of the configured superblock.</summary>
    [Syscall("fsmount", Binding = SyscallBinding.Raw)]
    public static partial SafeFd Fsmount(SafeFd fsfd, FsmountFlags flags, MountAttr attributes);

    /// <summary>move_mount(2).</summary>
    [Syscall("move_mount", Binding = SyscallBinding.Raw)]
    public static partial void MoveMount(SafeFd fromDirFd, string fromPath, SafeFd toDirFd, string toPath, MoveMountFlags flags);

    /// <summary>open_tree(2).</summary>
    [Syscall("open_tree", Binding = SyscallBinding.Raw)]
    public static partial SafeFd OpenTree(SafeFd dirFd, string path, OpenTreeFlags flags);

    /// <summary>mount_setattr(2); <paramref name="size"/> is sizeof(struct mount_attr).</summary>
    [Syscall("mount_setattr", Binding = SyscallBinding.Raw)]
    public static partial void MountSetattr(SafeFd dirFd, string path, AtFlags flags, in MountAttributes attributes, nuint size);

    /// <summary>mount_setattr(2) with the version-0 struct size.</summary>
    public static void MountSetattr(SafeFd dirFd, string path, AtFlags flags, in MountAttributes attributes) =>
        MountSetattr(dirFd, path, flags, in attributes, MountAttributes.SizeVer0);

    /// <summary>fsconfig(FSCONFIG_SET_STRING, key, value).</summary>
    public static void FsconfigSetString(SafeFd fsfd, string key, string value) => Fsconfig(fsfd, FsconfigCommand.SetString, key, value, 0);

    /// <summary>fsconfig(FSCONFIG_SET_FLAG, key).</summary>
    public static void FsconfigSetFlag(SafeFd fsfd, string key) => Fsconfig(fsfd, FsconfigCommand.SetFlag, key, null, 0);

    /// <summary>fsconfig(FSCONFIG_CMD_CREATE).</summary>
    public static void FsconfigCreate(SafeFd fsfd) => Fsconfig(fsfd, FsconfigCommand.Create, null, null, 0);
}
