using System.Runtime.InteropServices;

namespace Containers.Interop;

/// <summary>
/// open(2) flags, <c>O_*</c>, with the x86_64 values. O_DIRECTORY, O_NOFOLLOW, O_DIRECT and
/// O_LARGEFILE differ on aarch64: pass these through <see cref="OpenFlagsExtensions.ToNative"/>
/// (OpenHow.Create does) before they reach the kernel.
/// </summary>
[Flags]
public enum OpenFlags : uint
{
    /// <summary>O_RDONLY</summary>
    ReadOnly = 0,
    /// <summary>O_WRONLY</summary>
    WriteOnly = 1,
    /// <summary>O_RDWR</summary>
    ReadWrite = 2,
    /// <summary>O_CREAT</summary>
    Create = 0x40,
    /// <summary>O_EXCL</summary>
    Exclusive = 0x80,
    /// <summary>O_NOCTTY</summary>
    NoCtty = 0x100,
    /// <summary>O_TRUNC</summary>
    Truncate = 0x200,
    /// <summary>O_APPEND</summary>
    Append = 0x400,
    /// <summary>O_NONBLOCK</summary>
    NonBlock = 0x800,
    /// <summary>O_DSYNC</summary>
    DSync = 0x1000,
    /// <summary>O_DIRECT (x86_64 value)</summary>
    Direct = 0x4000,
    /// <summary>O_LARGEFILE (x86_64 value)</summary>
    LargeFile = 0x8000,
    /// <summary>O_DIRECTORY (x86_64 value)</summary>
    Directory = 0x10000,
    /// <summary>O_NOFOLLOW (x86_64 value)</summary>
    NoFollow = 0x20000,
    /// <summary>O_NOATIME</summary>
    NoAtime = 0x40000,
    /// <summary>O_CLOEXEC</summary>
    CloseOnExec = 0x80000,
    /// <summary>O_PATH</summary>
    Path = 0x200000,
    /// <summary>O_TMPFILE (includes O_DIRECTORY)</summary>
    TmpFile = 0x410000,
}

public static class OpenFlagsExtensions
{
    /// <summary>The value the running kernel expects: aarch64 swaps the bits of O_DIRECTORY/O_NOFOLLOW/O_DIRECT/O_LARGEFILE.</summary>
    public static ulong ToNative(this OpenFlags flags)
    {
        if (RuntimeInformation.ProcessArchitecture != Architecture.Arm64)
        {
            return (ulong)flags;
        }

        const uint Moved = 0x4000 | 0x8000 | 0x10000 | 0x20000;
        uint value = (uint)flags;
        uint result = value & ~Moved;
        if ((value & 0x10000) != 0) result |= 0x4000;   // O_DIRECTORY
        if ((value & 0x20000) != 0) result |= 0x8000;   // O_NOFOLLOW
        if ((value & 0x4000) != 0) result |= 0x10000;   // O_DIRECT
        if ((value & 0x8000) != 0) result |= 0x20000;   // O_LARGEFILE
        return result;
    }
}

/// <summary>openat2(2) path resolution flags, <c>RESOLVE_*</c>.</summary>
[Flags]
public enum ResolveFlags : ulong
{
    None = 0,
    /// <summary>RESOLVE_NO_XDEV</summary>
    NoXdev = 0x01,
    /// <summary>RESOLVE_NO_MAGICLINKS</summary>
    NoMagicLinks = 0x02,
    /// <summary>RESOLVE_NO_SYMLINKS</summary>
    NoSymlinks = 0x04,
    /// <summary>RESOLVE_BENEATH</summary>
    Beneath = 0x08,
    /// <summary>RESOLVE_IN_ROOT: resolve as if dirfd were the root (symlinks and ".." stay inside).</summary>
    InRoot = 0x10,
    /// <summary>RESOLVE_CACHED</summary>
    Cached = 0x20,
}

/// <summary>struct open_how for openat2(2).</summary>
[StructLayout(LayoutKind.Sequential)]
public struct OpenHow
{
    /// <summary>OPEN_HOW_SIZE_VER0</summary>
    public const int SizeVer0 = 24;

    /// <summary>flags: O_* in the running kernel's numbering (see <see cref="Create"/>).</summary>
    public ulong Flags;

    /// <summary>mode, with O_CREAT or O_TMPFILE only.</summary>
    public ulong Mode;

    /// <summary>resolve</summary>
    public ResolveFlags Resolve;

    public static OpenHow Create(OpenFlags flags, ResolveFlags resolve, uint mode = 0) =>
        new() { Flags = flags.ToNative(), Mode = mode, Resolve = resolve };
}

/// <summary>memfd_create(2) flags, <c>MFD_*</c>.</summary>
[Flags]
public enum MemfdFlags : uint
{
    None = 0,
    /// <summary>MFD_CLOEXEC</summary>
    CloseOnExec = 1,
    /// <summary>MFD_ALLOW_SEALING</summary>
    AllowSealing = 2,
    /// <summary>MFD_HUGETLB</summary>
    HugeTlb = 4,
    /// <summary>MFD_NOEXEC_SEAL (6.3)</summary>
    NoExecSeal = 8,
    /// <summary>MFD_EXEC (6.3)</summary>
    Exec = 0x10,
}

/// <summary>File seals, <c>F_SEAL_*</c>.</summary>
[Flags]
public enum SealFlags
{
    None = 0,
    /// <summary>F_SEAL_SEAL: no more seals may be added.</summary>
    Seal = 1,
    /// <summary>F_SEAL_SHRINK</summary>
    Shrink = 2,
    /// <summary>F_SEAL_GROW</summary>
    Grow = 4,
    /// <summary>F_SEAL_WRITE</summary>
    Write = 8,
    /// <summary>F_SEAL_FUTURE_WRITE</summary>
    FutureWrite = 0x10,
    /// <summary>F_SEAL_EXEC (6.3)</summary>
    Exec = 0x20,
}

/// <summary>fcntl(2) commands this library uses, <c>F_*</c>.</summary>
public enum FcntlCommand
{
    /// <summary>F_DUPFD</summary>
    DupFd = 0,
    /// <summary>F_GETFD</summary>
    GetFd = 1,
    /// <summary>F_SETFD</summary>
    SetFd = 2,
    /// <summary>F_GETFL</summary>
    GetFl = 3,
    /// <summary>F_SETFL</summary>
    SetFl = 4,
    /// <summary>F_DUPFD_CLOEXEC</summary>
    DupFdCloseOnExec = 1030,
    /// <summary>F_ADD_SEALS</summary>
    AddSeals = 1033,
    /// <summary>F_GET_SEALS</summary>
    GetSeals = 1034,
}

/// <summary>close_range(2) flags, <c>CLOSE_RANGE_*</c>.</summary>
[Flags]
public enum CloseRangeFlags : uint
{
    None = 0,
    /// <summary>CLOSE_RANGE_UNSHARE</summary>
    Unshare = 2,
    /// <summary>CLOSE_RANGE_CLOEXEC: mark close-on-exec instead of closing.</summary>
    CloseOnExec = 4,
}

/// <summary>The two ends pipe2(2) and socketpair(2) fill in (int[2]).</summary>
[StructLayout(LayoutKind.Sequential)]
public struct FdPair
{
    public int First;
    public int Second;
}
