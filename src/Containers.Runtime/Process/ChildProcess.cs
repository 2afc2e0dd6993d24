using Containers.Interop;

namespace Containers.Runtime.Process;

/// <summary>Waiting for children we spawned.</summary>
public static class ChildProcess
{
    /// <summary>Waits for <paramref name="pid"/>; on timeout kills it, reaps it and returns null.</summary>
    public static WaitStatus? WaitWithTimeout(int pid, TimeSpan timeout)
    {
        long deadline = Environment.TickCount64 + (long)Math.Min(timeout.TotalMilliseconds, long.MaxValue / 2);
        int delay = 1;
        while (true)
        {
            if (Syscalls.Waitpid(pid, out int status, WaitOptions.NoHang) == pid)
            {
                return new WaitStatus(status);
            }
            if (Environment.TickCount64 >= deadline)
            {
                Syscalls.TryKill(pid, Signal.SIGKILL);
                Wait(pid);
                return null;
            }
            Thread.Sleep(delay);
            delay = Math.Min(delay * 2, 20);
        }
    }

    public static WaitStatus Wait(int pid)
    {
        Syscalls.Waitpid(pid, out int status, WaitOptions.None);
        return new WaitStatus(status);
    }

    /// <summary>The shell's convention: the exit code, or 128 + the signal that ended it.</summary>
    public static int ShellExitCode(WaitStatus status) => status.Exited ? status.ExitCode : 128 + status.TermSignal;

    public static string Describe(WaitStatus status) =>
        status.Exited ? $"exit status {status.ExitCode}" : $"killed by signal {status.TermSignal}";
}
