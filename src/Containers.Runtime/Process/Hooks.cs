using System.Text;
using Containers.Interop;
using Containers.Runtime.Spec;

namespace Containers.Runtime.Process;

/// <summary>Runs OCI hooks: each gets the container state on stdin and must exit 0 within its timeout.</summary>
public static class Hooks
{
    public static void Run(string phase, IReadOnlyList<HookSpec>? hooks, string stateJson)
    {
        for (int i = 0; i < (hooks?.Count ?? 0); i++)
        {
            HookSpec hook = hooks![i];
            try
            {
                RunOne(hook, stateJson);
            }
            catch (Exception e) when (e is IOException or TimeoutException or InvalidOperationException)
            {
                throw new InitStepException($"{phase} hook #{i} ({hook.Path})", e);
            }
        }
    }

    private static void RunOne(HookSpec hook, string stateJson)
    {
        IReadOnlyList<string> args = hook.Args is { Count: > 0 } a ? a : [hook.Path!];
        (SafeFd read, SafeFd write) = Syscalls.Pipe2(OpenFlags.CloseOnExec);
        int pid;
        using (read)
        using (var request = new SpawnRequest(hook.Path!, args, hook.Env ?? []))
        {
            request.Dup2(read, 0);
            pid = request.Spawn();
        }
        using (var stdin = new FileStream(new Microsoft.Win32.SafeHandles.SafeFileHandle(write.DangerousGetHandle(), ownsHandle: false), FileAccess.Write))
        {
            try
            {
                stdin.Write(Encoding.UTF8.GetBytes(stateJson));
            }
            catch (IOException)
            {
                // The hook need not read its stdin.
            }
        }
        write.Dispose();

        TimeSpan timeout = TimeSpan.FromSeconds(hook.Timeout is > 0 ? hook.Timeout.Value : 3600);
        WaitStatus status = ChildProcess.WaitWithTimeout(pid, timeout)
            ?? throw new TimeoutException($"did not finish within {timeout.TotalSeconds:0} s; killed");
        if (!status.Exited || status.ExitCode != 0)
        {
            throw new InvalidOperationException($"failed: {ChildProcess.Describe(status)}");
        }
    }
}
