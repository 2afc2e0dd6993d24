using System.Runtime.InteropServices;

namespace Containers.Interop;

/// <summary>prctl(2) options, <c>PR_*</c>.</summary>
public enum PrctlOption
{
    /// <summary>PR_SET_PDEATHSIG</summary>
    SetParentDeathSignal = 1,
    /// <summary>PR_GET_PDEATHSIG</summary>
    GetParentDeathSignal = 2,
    /// <summary>PR_GET_DUMPABLE</summary>
    GetDumpable = 3,
    /// <summary>PR_SET_DUMPABLE</summary>
    SetDumpable = 4,
    /// <summary>PR_GET_KEEPCAPS</summary>
    GetKeepCaps = 7,
    /// <summary>PR_SET_KEEPCAPS</summary>
    SetKeepCaps = 8,
    /// <summary>PR_SET_NAME</summary>
    SetName = 15,
    /// <summary>PR_GET_NAME</summary>
    GetName = 16,
    /// <summary>PR_GET_SECCOMP</summary>
    GetSeccomp = 21,
    /// <summary>PR_SET_SECCOMP</summary>
    SetSeccomp = 22,
    /// <summary>PR_CAPBSET_READ</summary>
    CapBsetRead = 23,
    /// <summary>PR_CAPBSET_DROP</summary>
    CapBsetDrop = 24,
    /// <summary>PR_GET_SECUREBITS</summary>
    GetSecureBits = 27,
    /// <summary>PR_SET_SECUREBITS</summary>
    SetSecureBits = 28,
    /// <summary>PR_SET_CHILD_SUBREAPER</summary>
    SetChildSubreaper = 36,
    /// <summary>PR_GET_CHILD_SUBREAPER</summary>
    GetChildSubreaper = 37,
    /// <summary>PR_SET_NO_NEW_PRIVS</summary>
    SetNoNewPrivs = 38,
    /// <summary>PR_GET_NO_NEW_PRIVS</summary>
    GetNoNewPrivs = 39,
    /// <summary>PR_CAP_AMBIENT (arg2: PR_CAP_AMBIENT_IS_SET 1, _RAISE 2, _LOWER 3, _CLEAR_ALL 4)</summary>
    CapAmbient = 47,
}

/// <summary>wait options, <c>W*</c>.</summary>
[Flags]
public enum WaitOptions
{
    None = 0,
    /// <summary>WNOHANG</summary>
    NoHang = 1,
    /// <summary>WSTOPPED (WUNTRACED)</summary>
    Stopped = 2,
    /// <summary>WEXITED</summary>
    Exited = 4,
    /// <summary>WCONTINUED</summary>
    Continued = 8,
    /// <summary>WNOWAIT</summary>
    NoWait = 0x01000000,
    /// <summary>__WALL</summary>
    All = 0x40000000,
}

/// <summary>waitid(2) id types, <c>P_*</c>.</summary>
public enum IdType
{
    /// <summary>P_ALL</summary>
    All = 0,
    /// <summary>P_PID</summary>
    Pid = 1,
    /// <summary>P_PGID</summary>
    Pgid = 2,
    /// <summary>P_PIDFD</summary>
    PidFd = 3,
}

/// <summary>siginfo_t (128 bytes), with the fields of SIGCHLD and waitid.</summary>
[StructLayout(LayoutKind.Explicit, Size = 128)]
public struct SigInfo
{
    /// <summary>si_signo</summary>
    [FieldOffset(0)] public int Signal;
    /// <summary>si_errno</summary>
    [FieldOffset(4)] public int Errno;
    /// <summary>si_code: CLD_EXITED 1, CLD_KILLED 2, CLD_DUMPED 3, CLD_TRAPPED 4, CLD_STOPPED 5, CLD_CONTINUED 6.</summary>
    [FieldOffset(8)] public int Code;
    /// <summary>si_pid</summary>
    [FieldOffset(16)] public int Pid;
    /// <summary>si_uid</summary>
    [FieldOffset(20)] public uint Uid;
    /// <summary>si_status: the exit code (CLD_EXITED) or the signal.</summary>
    [FieldOffset(24)] public int Status;

    public const int CldExited = 1;
    public const int CldKilled = 2;
    public const int CldDumped = 3;
}

/// <summary>pidfd_open(2) flags.</summary>
[Flags]
public enum PidfdFlags : uint
{
    None = 0,
    /// <summary>PIDFD_THREAD (= O_EXCL, 6.9)</summary>
    Thread = 0x80,
    /// <summary>PIDFD_NONBLOCK (= O_NONBLOCK)</summary>
    NonBlock = 0x800,
}

/// <summary>Resources for prlimit(2), <c>RLIMIT_*</c>.</summary>
public enum Resource
{
    /// <summary>RLIMIT_CPU</summary>
    Cpu = 0,
    /// <summary>RLIMIT_FSIZE</summary>
    FileSize = 1,
    /// <summary>RLIMIT_DATA</summary>
    Data = 2,
    /// <summary>RLIMIT_STACK</summary>
    Stack = 3,
    /// <summary>RLIMIT_CORE</summary>
    Core = 4,
    /// <summary>RLIMIT_RSS</summary>
    Rss = 5,
    /// <summary>RLIMIT_NPROC</summary>
    NProc = 6,
    /// <summary>RLIMIT_NOFILE</summary>
    NoFile = 7,
    /// <summary>RLIMIT_MEMLOCK</summary>
    MemLock = 8,
    /// <summary>RLIMIT_AS</summary>
    AddressSpace = 9,
    /// <summary>RLIMIT_LOCKS</summary>
    Locks = 10,
    /// <summary>RLIMIT_SIGPENDING</summary>
    SigPending = 11,
    /// <summary>RLIMIT_MSGQUEUE</summary>
    MsgQueue = 12,
    /// <summary>RLIMIT_NICE</summary>
    Nice = 13,
    /// <summary>RLIMIT_RTPRIO</summary>
    RtPrio = 14,
    /// <summary>RLIMIT_RTTIME</summary>
    RtTime = 15,
}

/// <summary>struct rlimit (64-bit).</summary>
[StructLayout(LayoutKind.Sequential)]
public struct ResourceLimit
{
    /// <summary>RLIM_INFINITY</summary>
    public const ulong Infinity = ulong.MaxValue;

    /// <summary>rlim_cur</summary>
    public ulong Soft;

    /// <summary>rlim_max</summary>
    public ulong Hard;
}

/// <summary>Linux signal numbers (the same on x86_64 and aarch64).</summary>
public enum Signal
{
    SIGHUP = 1, SIGINT = 2, SIGQUIT = 3, SIGILL = 4, SIGTRAP = 5, SIGABRT = 6, SIGBUS = 7, SIGFPE = 8,
    SIGKILL = 9, SIGUSR1 = 10, SIGSEGV = 11, SIGUSR2 = 12, SIGPIPE = 13, SIGALRM = 14, SIGTERM = 15,
    SIGSTKFLT = 16, SIGCHLD = 17, SIGCONT = 18, SIGSTOP = 19, SIGTSTP = 20, SIGTTIN = 21, SIGTTOU = 22,
    SIGURG = 23, SIGXCPU = 24, SIGXFSZ = 25, SIGVTALRM = 26, SIGPROF = 27, SIGWINCH = 28, SIGIO = 29,
    SIGPWR = 30, SIGSYS = 31,
}

/// <summary>A decoded wait status (waitpid's int).</summary>
public readonly record struct WaitStatus(int Raw)
{
    /// <summary>WIFEXITED</summary>
    public bool Exited => (Raw & 0x7f) == 0;

    /// <summary>WEXITSTATUS</summary>
    public int ExitCode => (Raw >> 8) & 0xff;

    /// <summary>WIFSIGNALED</summary>
    public bool Signaled => (Raw & 0x7f) != 0 && (Raw & 0x7f) != 0x7f;

    /// <summary>WTERMSIG</summary>
    public int TermSignal => Raw & 0x7f;
}
