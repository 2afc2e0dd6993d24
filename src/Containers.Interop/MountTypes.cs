using System.Runtime.InteropServices;

namespace Containers.Interop;

/// <summary>mount(2) flags, <c>MS_*</c>.</summary>
[Flags]
public enum MountFlags : ulong
{
    None = 0,
    /// <summary>MS_RDONLY</summary>
    ReadOnly = 1,
    /// <summary>MS_NOSUID</summary>
    NoSuid = 2,
    /// <summary>MS_NODEV</summary>
    NoDev = 4,
    /// <summary>MS_NOEXEC</summary>
    NoExec = 8,
    /// <summary>MS_SYNCHRONOUS</summary>
    Synchronous = 16,
    /// <summary>MS_REMOUNT</summary>
    Remount = 32,
    /// <summary>MS_MANDLOCK</summary>
    MandatoryLock = 64,
    /// <summary>MS_DIRSYNC</summary>
    DirSync = 128,
    /// <summary>MS_NOSYMFOLLOW</summary>
    NoSymFollow = 256,
    /// <summary>MS_NOATIME</summary>
    NoAtime = 1024,
    /// <summary>MS_NODIRATIME</summary>
    NoDirAtime = 2048,
    /// <summary>MS_BIND</summary>
    Bind = 4096,
    /// <summary>MS_MOVE</summary>
    Move = 8192,
    /// <summary>MS_REC</summary>
    Recursive = 16384,
    /// <summary>MS_SILENT</summary>
    Silent = 32768,
    /// <summary>MS_POSIXACL</summary>
    PosixAcl = 1 << 16,
    /// <summary>MS_UNBINDABLE</summary>
    Unbindable = 1 << 17,
    /// <summary>MS_PRIVATE</summary>
    Private = 1 << 18,
    /// <summary>MS_SLAVE</summary>
    Slave = 1 << 19,
    /// <summary>MS_SHARED</summary>
    Shared = 1 << 20,
    /// <summary>MS_RELATIME</summary>
    RelAtime = 1 << 21,
    /// <summary>MS_KERNMOUNT</summary>
    KernMount = 1 << 22,
    /// <summary>MS_I_VERSION</summary>
    IVersion = 1 << 23,
    /// <summary>MS_STRICTATIME</summary>
    StrictAtime = 1 << 24,
    /// <summary>MS_LAZYTIME</summary>
    LazyTime = 1 << 25,
}

/// <summary>umount2(2) flags: <c>MNT_FORCE</c>, <c>MNT_DETACH</c>, <c>MNT_EXPIRE</c>, <c>UMOUNT_NOFOLLOW</c>.</summary>
[Flags]
public enum UmountFlags
{
    None = 0,
    /// <summary>MNT_FORCE</summary>
    Force = 1,
    /// <summary>MNT_DETACH</summary>
    Detach = 2,
    /// <summary>MNT_EXPIRE</summary>
    Expire = 4,
    /// <summary>UMOUNT_NOFOLLOW</summary>
    NoFollow = 8,
}

/// <summary>The <c>AT_*</c> flags of *at calls (mount_setattr, open_tree, …).</summary>
[Flags]
public enum AtFlags : uint
{
    None = 0,
    /// <summary>AT_SYMLINK_NOFOLLOW</summary>
    SymlinkNoFollow = 0x100,
    /// <summary>AT_REMOVEDIR</summary>
    RemoveDir = 0x200,
    /// <summary>AT_SYMLINK_FOLLOW</summary>
    SymlinkFollow = 0x400,
    /// <summary>AT_NO_AUTOMOUNT</summary>
    NoAutomount = 0x800,
    /// <summary>AT_EMPTY_PATH</summary>
    EmptyPath = 0x1000,
    /// <summary>AT_RECURSIVE</summary>
    Recursive = 0x8000,
}

/// <summary>open_tree(2) flags: <c>OPEN_TREE_CLONE</c>, <c>OPEN_TREE_CLOEXEC</c> and the AT_* flags it accepts.</summary>
[Flags]
public enum OpenTreeFlags : uint
{
    None = 0,
    /// <summary>OPEN_TREE_CLONE: detach a copy of the tree instead of opening it in place.</summary>
    Clone = 1,
    /// <summary>AT_SYMLINK_NOFOLLOW</summary>
    SymlinkNoFollow = 0x100,
    /// <summary>AT_NO_AUTOMOUNT</summary>
    NoAutomount = 0x800,
    /// <summary>AT_EMPTY_PATH</summary>
    EmptyPath = 0x1000,
    /// <summary>AT_RECURSIVE</summary>
    Recursive = 0x8000,
    /// <summary>OPEN_TREE_CLOEXEC (= O_CLOEXEC)</summary>
    CloseOnExec = 0x80000,
}

/// <summary>move_mount(2) flags, <c>MOVE_MOUNT_*</c>.</summary>
[Flags]
public enum MoveMountFlags : uint
{
    None = 0,
    /// <summary>MOVE_MOUNT_F_SYMLINKS</summary>
    FromSymlinks = 0x01,
    /// <summary>MOVE_MOUNT_F_AUTOMOUNTS</summary>
    FromAutomounts = 0x02,
    /// <summary>MOVE_MOUNT_F_EMPTY_PATH: the source is the fd itself (an fsmount/open_tree result).</summary>
    FromEmptyPath = 0x04,
    /// <summary>MOVE_MOUNT_T_SYMLINKS</summary>
    ToSymlinks = 0x10,
    /// <summary>MOVE_MOUNT_T_AUTOMOUNTS</summary>
    ToAutomounts = 0x20,
    /// <summary>MOVE_MOUNT_T_EMPTY_PATH</summary>
    ToEmptyPath = 0x40,
    /// <summary>MOVE_MOUNT_SET_GROUP</summary>
    SetGroup = 0x100,
    /// <summary>MOVE_MOUNT_BENEATH (6.5)</summary>
    Beneath = 0x200,
}

/// <summary>fsopen(2) flags: <c>FSOPEN_CLOEXEC</c>.</summary>
[Flags]
public enum FsopenFlags : uint
{
    None = 0,
    /// <summary>FSOPEN_CLOEXEC</summary>
    CloseOnExec = 1,
}

/// <summary>fsconfig(2) commands, <c>FSCONFIG_*</c>.</summary>
public enum FsconfigCommand : uint
{
    /// <summary>FSCONFIG_SET_FLAG: key only, e.g. "ro".</summary>
    SetFlag = 0,
    /// <summary>FSCONFIG_SET_STRING: key and string value.</summary>
    SetString = 1,
    /// <summary>FSCONFIG_SET_BINARY</summary>
    SetBinary = 2,
    /// <summary>FSCONFIG_SET_PATH</summary>
    SetPath = 3,
    /// <summary>FSCONFIG_SET_PATH_EMPTY</summary>
    SetPathEmpty = 4,
    /// <summary>FSCONFIG_SET_FD</summary>
    SetFd = 5,
    /// <summary>FSCONFIG_CMD_CREATE: create the superblock.</summary>
    Create = 6,
    /// <summary>FSCONFIG_CMD_RECONFIGURE</summary>
    Reconfigure = 7,
    /// <summary>FSCONFIG_CMD_CREATE_EXCL (6.6)</summary>
    CreateExclusive = 8,
}

/// <summary>fsmount(2) flags: <c>FSMOUNT_CLOEXEC</c>.</summary>
[Flags]
public enum FsmountFlags : uint
{
    None = 0,
    /// <summary>FSMOUNT_CLOEXEC</summary>
    CloseOnExec = 1,
}

/// <summary>Mount attributes, <c>MOUNT_ATTR_*</c> (fsmount's attr_flags, struct mount_attr's attr_set/attr_clr).</summary>
[Flags]
public enum MountAttr : ulong
{
    None = 0,
    /// <summary>MOUNT_ATTR_RDONLY</summary>
    ReadOnly = 0x1,
    /// <summary>MOUNT_ATTR_NOSUID</summary>
    NoSuid = 0x2,
    /// <summary>MOUNT_ATTR_NODEV</summary>
    NoDev = 0x4,
    /// <summary>MOUNT_ATTR_NOEXEC</summary>
    NoExec = 0x8,
    /// <summary>MOUNT_ATTR_NOATIME (one value of the MOUNT_ATTR__ATIME field)</summary>
    NoAtime = 0x10,
    /// <summary>MOUNT_ATTR_STRICTATIME</summary>
    StrictAtime = 0x20,
    /// <summary>MOUNT_ATTR__ATIME: the mask of the atime field; put it in attr_clr to change atime.</summary>
    AtimeMask = 0x70,
    /// <summary>MOUNT_ATTR_NODIRATIME</summary>
    NoDirAtime = 0x80,
    /// <summary>MOUNT_ATTR_IDMAP</summary>
    IdMap = 0x100000,
    /// <summary>MOUNT_ATTR_NOSYMFOLLOW</summary>
    NoSymFollow = 0x200000,
}

/// <summary>struct mount_attr (MOUNT_ATTR_SIZE_VER0, 32 bytes) for mount_setattr(2).</summary>
[StructLayout(LayoutKind.Sequential)]
public struct MountAttributes
{
    /// <summary>MOUNT_ATTR_SIZE_VER0</summary>
    public const int SizeVer0 = 32;

    /// <summary>attr_set</summary>
    public MountAttr Set;

    /// <summary>attr_clr</summary>
    public MountAttr Clear;

    /// <summary>propagation: MS_PRIVATE, MS_SLAVE, MS_SHARED or MS_UNBINDABLE (0 leaves it).</summary>
    public MountFlags Propagation;

    /// <summary>userns_fd, with MOUNT_ATTR_IDMAP.</summary>
    public ulong UsernsFd;
}
