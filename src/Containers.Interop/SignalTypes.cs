using System.Runtime.InteropServices;

namespace Containers.Interop;

/// <summary>glibc's sigset_t (1024 bits); the kernel reads the first 64.</summary>
[StructLayout(LayoutKind.Sequential, Size = 128)]
public unsafe struct SigSet
{
    private fixed ulong _bits[16];

    /// <summary>A set holding every signal 1..64.</summary>
    public static SigSet Full
    {
        get
        {
            SigSet set = default;
            set._bits[0] = ulong.MaxValue;
            return set;
        }
    }

    /// <summary>sigaddset(3).</summary>
    public void Add(Signal signal) => _bits[((int)signal - 1) / 64] |= 1UL << (((int)signal - 1) % 64);

    /// <summary>sigdelset(3).</summary>
    public void Remove(Signal signal) => _bits[((int)signal - 1) / 64] &= ~(1UL << (((int)signal - 1) % 64));

    /// <summary>sigismember(3).</summary>
    public readonly bool Contains(Signal signal) => (_bits[((int)signal - 1) / 64] & (1UL << (((int)signal - 1) % 64))) != 0;
}

/// <summary>pthread_sigmask(3) how: <c>SIG_BLOCK</c>, <c>SIG_UNBLOCK</c>, <c>SIG_SETMASK</c>.</summary>
public enum SigmaskHow
{
    /// <summary>SIG_BLOCK</summary>
    Block = 0,
    /// <summary>SIG_UNBLOCK</summary>
    Unblock = 1,
    /// <summary>SIG_SETMASK</summary>
    SetMask = 2,
}

/// <summary>signalfd(2) flags: <c>SFD_CLOEXEC</c>, <c>SFD_NONBLOCK</c>.</summary>
[Flags]
public enum SignalfdFlags
{
    None = 0,
    /// <summary>SFD_NONBLOCK</summary>
    NonBlock = 0x800,
    /// <summary>SFD_CLOEXEC</summary>
    CloseOnExec = 0x80000,
}

/// <summary>struct signalfd_siginfo (128 bytes), as read(2) returns it from a signalfd.</summary>
[StructLayout(LayoutKind.Explicit, Size = 128)]
public struct SignalfdSiginfo
{
    /// <summary>ssi_signo</summary>
    [FieldOffset(0)] public uint Signal;
    /// <summary>ssi_errno</summary>
    [FieldOffset(4)] public int Errno;
    /// <summary>ssi_code</summary>
    [FieldOffset(8)] public int Code;
    /// <summary>ssi_pid</summary>
    [FieldOffset(12)] public uint Pid;
    /// <summary>ssi_uid</summary>
    [FieldOffset(16)] public uint Uid;
    /// <summary>ssi_fd</summary>
    [FieldOffset(20)] public int Fd;
    /// <summary>ssi_status</summary>
    [FieldOffset(40)] public int Status;
}
