namespace Containers.Interop;

/// <summary>Signal masks and signalfd: how the shim waits for SIGCHLD without a handler.</summary>
public static partial class Syscalls
{
    /// <summary>signalfd(2); pass -1 as <paramref name="fd"/> for a new descriptor.</summary>
    [Syscall("signalfd")]
    public static partial SafeFd Signalfd(int fd, in SigSet mask, SignalfdFlags flags);

    /// <summary>pthread_sigmask(3): the calling thread's mask; either pointer may be null.</summary>
    [Syscall("pthread_sigmask", Returns = SyscallReturn.ErrorNumber)]
    public static unsafe partial void PthreadSigmask(SigmaskHow how, SigSet* set, SigSet* oldSet);

    /// <summary>pthread_sigmask(how, set, &amp;old): returns the previous mask.</summary>
    public static unsafe SigSet PthreadSigmask(SigmaskHow how, in SigSet set)
    {
        SigSet copy = set;
        SigSet old;
        PthreadSigmask(how, &copy, &old);
        return old;
    }
}
