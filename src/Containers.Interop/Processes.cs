namespace Containers.Interop;

/// <summary>Processes: prctl, waiting, pidfds, signals to processes, limits and personality.</summary>
public static partial class Syscalls
{
    /// <summary>prctl(2), raw: glibc's prctl is variadic; the kernel always takes five words.</summary>
    [Syscall("prctl", Binding = SyscallBinding.Raw)]
    public static partial int Prctl(PrctlOption option, nuint arg2, nuint arg3, nuint arg4, nuint arg5);

    /// <summary>prctl(PR_SET_NO_NEW_PRIVS, 1).</summary>
    public static void SetNoNewPrivileges() => Prctl(PrctlOption.SetNoNewPrivs, 1, 0, 0, 0);

    /// <summary>prctl(PR_GET_NO_NEW_PRIVS).</summary>
    public static bool GetNoNewPrivileges() => Prctl(PrctlOption.GetNoNewPrivs, 0, 0, 0, 0) == 1;

    /// <summary>prctl(PR_SET_CHILD_SUBREAPER).</summary>
    public static void SetChildSubreaper(bool enable) => Prctl(PrctlOption.SetChildSubreaper, enable ? 1u : 0u, 0, 0, 0);

    /// <summary>prctl(PR_SET_PDEATHSIG): per thread: the signal arrives when the creating *thread* exits.</summary>
    public static void SetParentDeathSignal(Signal signal) => Prctl(PrctlOption.SetParentDeathSignal, (nuint)signal, 0, 0, 0);

    /// <summary>prctl(PR_CAPBSET_DROP).</summary>
    public static void DropBoundingCapability(int capability) => Prctl(PrctlOption.CapBsetDrop, (nuint)capability, 0, 0, 0);

    /// <summary>prctl(PR_CAPBSET_READ).</summary>
    public static bool IsInBoundingSet(int capability) => Prctl(PrctlOption.CapBsetRead, (nuint)capability, 0, 0, 0) == 1;

    /// <summary>waitid(2) (glibc's four-argument form).</summary>
    [Syscall("waitid")]
    public static partial void Waitid(IdType idType, int id, out SigInfo info, WaitOptions options);

    /// <summary>waitpid(2): the pid reaped, or 0 with WNOHANG when none is ready.</summary>
    [Syscall("waitpid")]
    public static partial int Waitpid(int pid, out int status, WaitOptions options);

    /// <summary>pidfd_open(2).</summary>
    [Syscall("pidfd_open", Binding = SyscallBinding.Raw)]
    public static partial SafeFd PidfdOpen(int pid, PidfdFlags flags);

    /// <summary>pidfd_send_signal(2); <paramref name="info"/> may be null.</summary>
    [Syscall("pidfd_send_signal", Binding = SyscallBinding.Raw)]
    public static unsafe partial void PidfdSendSignal(SafeFd pidfd, Signal signal, SigInfo* info, uint flags);

    /// <summary>pidfd_send_signal(2) without siginfo.</summary>
    public static unsafe void PidfdSendSignal(SafeFd pidfd, Signal signal) => PidfdSendSignal(pidfd, signal, null, 0);

    /// <summary>kill(2).</summary>
    [Syscall("kill")]
    public static partial void Kill(int pid, Signal signal);

    /// <summary>personality(2): returns the previous persona (0xffffffff queries).</summary>
    [Syscall("personality")]
    public static partial int Personality(ulong persona);

    /// <summary>prlimit(2); either pointer may be null.</summary>
    [Syscall("prlimit")]
    public static unsafe partial void Prlimit(int pid, Resource resource, ResourceLimit* newLimit, ResourceLimit* oldLimit);

    /// <summary>prlimit(pid, resource, NULL, &amp;old).</summary>
    public static unsafe ResourceLimit GetResourceLimit(Resource resource, int pid = 0)
    {
        ResourceLimit old;
        Prlimit(pid, resource, null, &old);
        return old;
    }

    /// <summary>prlimit(pid, resource, &amp;limit, NULL).</summary>
    public static unsafe void SetResourceLimit(Resource resource, ResourceLimit limit, int pid = 0) => Prlimit(pid, resource, &limit, null);
}
