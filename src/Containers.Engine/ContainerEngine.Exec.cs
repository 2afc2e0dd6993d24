using System.Diagnostics;
using System.Text;
using System.Text.Json;
using Containers.Image;
using Containers.Interop;
using Containers.Runtime.Lifecycle;
using Containers.Runtime.Spec;
using RuntimeStatus = Containers.Runtime.Spec.ContainerStatus;

namespace Containers.Engine;

/// <summary>Exec: a process in a running container, through containers-runtime exec.</summary>
public sealed partial class ContainerEngine
{
    public IEnumerable<ContainerLogEntry> Exec(string idOrName, ExecRequest request, TextReader? stdin, Action<int> exitCode, CancellationToken cancellation)
    {
        ArgumentNullException.ThrowIfNull(request);
        string id = _store.Resolve(idOrName);
        Snapshot snapshot = Inspect(id);
        if (snapshot.Info.State != ContainerState.Running)
        {
            throw new EngineException(EngineErrorKind.InvalidState, $"container {snapshot.Info.Name} is not running");
        }
        if (request.Command is not { Count: > 0 }) throw SpecBuilder.Invalid("Command", "give a command to run");
        if (request.WorkingDirectory is { } cwd && !cwd.StartsWith('/')) throw SpecBuilder.Invalid("WorkingDirectory", $"\"{cwd}\" is not an absolute path");
        List<string> args = ["--root", _runtimeStore.Root, "exec"];
        if (request.User is { } user)
        {
            UserSpec resolved = UserResolver.Resolve(user, _store.RootfsOf(id), out _);
            args.AddRange(["--user", $"{resolved.Uid}:{resolved.Gid}"]);
        }
        if (request.WorkingDirectory is { } dir) args.AddRange(["--cwd", dir]);
        foreach ((string key, string value) in request.Environment ?? new Dictionary<string, string>())
        {
            if (key.Length == 0 || key.Contains('=')) throw SpecBuilder.Invalid("Environment", $"\"{key}\" is not a variable name");
            args.AddRange(["--env", $"{key}={value}"]);
        }
        if (request.Tty) return ExecWithTerminal.Run(_options.RuntimeExecutable, args, id, request, stdin, exitCode, cancellation);
        args.Add(id);
        args.AddRange(request.Command);
        return ExecIterator(args, request, stdin, exitCode, cancellation);
    }

    private IEnumerable<ContainerLogEntry> ExecIterator(List<string> args, ExecRequest request, TextReader? stdin, Action<int> exitCode, CancellationToken cancellation)
    {
        var start = new ProcessStartInfo(_options.RuntimeExecutable)
        {
            UseShellExecute = false,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        args.ForEach(start.ArgumentList.Add);
        using var lines = new System.Collections.Concurrent.BlockingCollection<ContainerLogEntry>();
        using Process process = Process.Start(start) ?? throw new EngineException(EngineErrorKind.Failed, "exec: cannot start containers-runtime");
        int open = 2;
        void OnLine(string stream, string? data)
        {
            if (data is null)
            {
                if (Interlocked.Decrement(ref open) == 0) lines.CompleteAdding();
                return;
            }
            lines.Add(new ContainerLogEntry(stream, DateTimeOffset.UtcNow, data));
        }
        process.OutputDataReceived += (_, e) => OnLine("stdout", e.Data);
        process.ErrorDataReceived += (_, e) => OnLine("stderr", e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        if (stdin is not null && request.Interactive)
        {
            _ = Task.Run(() =>
            {
                try
                {
                    char[] buffer = new char[4096];
                    int n;
                    while ((n = stdin.Read(buffer, 0, buffer.Length)) > 0) process.StandardInput.Write(buffer, 0, n);
                    process.StandardInput.Close();
                }
                catch (Exception e) when (e is IOException or ObjectDisposedException or InvalidOperationException)
                {
                }
            }, CancellationToken.None);
        }
        else
        {
            process.StandardInput.Close();
        }
        bool completed = false;
        try
        {
            foreach (ContainerLogEntry entry in lines.GetConsumingEnumerable(cancellation))
            {
                yield return entry;
            }
            process.WaitForExit();
            completed = true;
            exitCode(process.ExitCode);
        }
        finally
        {
            if (!completed && !process.HasExited)
            {
                process.Kill();
            }
        }
    }
}
