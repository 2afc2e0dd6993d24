namespace Containers.Interop;

/// <summary>execve and the signal state a new program inherits.</summary>
public static unsafe partial class Syscalls
{
    /// <summary>execve(2): replaces the calling process; returns only on failure.</summary>
    [Syscall("execve", RetryOnEintr = false)]
    public static partial void Execve(byte* path, byte** argv, byte** envp);

    /// <summary>signal(2) (glibc: BSD semantics); <paramref name="handler"/> 0 is SIG_DFL, 1 is SIG_IGN.</summary>
    [Syscall("signal", RetryOnEintr = false)]
    public static partial nint Signal(int signal, nint handler);

    /// <summary>
    /// Gives the calling thread default dispositions for every signal and an empty mask:
    /// ignored signals and the mask survive execve, and .NET ignores SIGPIPE, so a program
    /// exec'd from .NET would otherwise start with state its author never asked for.
    /// </summary>
    public static void ResetSignalsForExec()
    {
        for (int sig = 1; sig < 65; sig++)
        {
            if (sig is 9 or 19 or 32 or 33) // SIGKILL, SIGSTOP, and glibc's two internal RT signals
            {
                continue;
            }
            TrySignal(sig, 0, out _);
        }
        PthreadSigmask(SigmaskHow.SetMask, default(SigSet));
    }
}
