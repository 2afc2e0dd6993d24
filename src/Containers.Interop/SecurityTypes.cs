using System.Runtime.InteropServices;

namespace Containers.Interop;

/// <summary>struct __user_cap_header_struct.</summary>
[StructLayout(LayoutKind.Sequential)]
public struct CapUserHeader
{
    /// <summary>_LINUX_CAPABILITY_VERSION_3: 64-bit sets as two 32-bit data elements.</summary>
    public const uint Version3 = 0x20080522;

    public uint Version;
    public int Pid;
}

/// <summary>struct __user_cap_data_struct: one 32-bit slice of each set.</summary>
[StructLayout(LayoutKind.Sequential)]
public struct CapUserData
{
    public uint Effective;
    public uint Permitted;
    public uint Inheritable;
}

/// <summary>A thread's capability sets, bit n = capability n (CAP_CHOWN = 0 … CAP_CHECKPOINT_RESTORE = 40).</summary>
public readonly record struct CapabilitySets(ulong Effective, ulong Permitted, ulong Inheritable);

/// <summary>seccomp(2) operations, <c>SECCOMP_*</c>.</summary>
public enum SeccompOperation : uint
{
    /// <summary>SECCOMP_SET_MODE_STRICT</summary>
    SetModeStrict = 0,
    /// <summary>SECCOMP_SET_MODE_FILTER</summary>
    SetModeFilter = 1,
    /// <summary>SECCOMP_GET_ACTION_AVAIL</summary>
    GetActionAvail = 2,
    /// <summary>SECCOMP_GET_NOTIF_SIZES</summary>
    GetNotifSizes = 3,
}

/// <summary>seccomp(2) filter flags, <c>SECCOMP_FILTER_FLAG_*</c>.</summary>
[Flags]
public enum SeccompFlags : uint
{
    None = 0,
    /// <summary>SECCOMP_FILTER_FLAG_TSYNC</summary>
    Tsync = 1,
    /// <summary>SECCOMP_FILTER_FLAG_LOG</summary>
    Log = 2,
    /// <summary>SECCOMP_FILTER_FLAG_SPEC_ALLOW</summary>
    SpecAllow = 4,
    /// <summary>SECCOMP_FILTER_FLAG_NEW_LISTENER: returns a notification fd.</summary>
    NewListener = 8,
    /// <summary>SECCOMP_FILTER_FLAG_TSYNC_ESRCH</summary>
    TsyncEsrch = 16,
    /// <summary>SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV</summary>
    WaitKillableRecv = 32,
}

/// <summary>struct sock_filter: one classic BPF instruction.</summary>
[StructLayout(LayoutKind.Sequential)]
public struct SockFilter
{
    public ushort Code;
    public byte JumpTrue;
    public byte JumpFalse;
    public uint K;

    public SockFilter(ushort code, byte jumpTrue, byte jumpFalse, uint k)
    {
        Code = code;
        JumpTrue = jumpTrue;
        JumpFalse = jumpFalse;
        K = k;
    }
}

/// <summary>struct sock_fprog.</summary>
[StructLayout(LayoutKind.Sequential)]
public unsafe struct SockFprog
{
    public ushort Length;
    public SockFilter* Filter;
}
