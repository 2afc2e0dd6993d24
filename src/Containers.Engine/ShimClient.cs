using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using Containers.Interop;
using Microsoft.Win32.SafeHandles;

namespace Containers.Engine;

/// <summary>Starting `containers-runtime shim` and talking to it over DATA/containers/ID/shim.sock.</summary>
internal static class ShimClient
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(90);

    public sealed record Options(string RuntimeExecutable, string RunRoot, string DataDir, string Id, bool Interactive, string? AutoRemoveNameFile,
        long LogMaxBytes, int LogMaxFiles);

    /// <summary>Spawns the shim (it detaches itself) and returns its start report; the first stage is reaped here.</summary>
    public static ShimStartResult Start(Options options)
    {
        if (!File.Exists(options.RuntimeExecutable))
        {
            throw new EngineException(EngineErrorKind.Failed, $"containers-runtime not found at {options.RuntimeExecutable} (set CONTAINERS_PS_RUNTIME)");
        }
        List<string> args = ["containers-runtime", "shim", "--run-root", options.RunRoot, "--data-dir", options.DataDir, "--id", options.Id];
        args.AddRange(["--log-max-size", options.LogMaxBytes.ToString(), "--log-max-files", options.LogMaxFiles.ToString()]);
        if (options.Interactive) args.Add("--interactive");
        if (options.AutoRemoveNameFile is not null) args.AddRange(["--auto-remove", "--name-file", options.AutoRemoveNameFile]);

        (SafeFd read, SafeFd write) = Syscalls.Pipe2(OpenFlags.CloseOnExec);
        int pid;
        using (write)
        using (var request = new SpawnRequest(options.RuntimeExecutable, args) { NewSession = true })
        {
            request.Open(0, "/dev/null", OpenFlags.ReadOnly).Open(1, "/dev/null", OpenFlags.WriteOnly).Open(2, "/dev/null", OpenFlags.WriteOnly);
            request.Dup2(write, 3);
            pid = request.Spawn();
        }
        string? line;
        using (var stream = new FileStream(new SafeFileHandle(Release(read), ownsHandle: true), FileAccess.Read, 1))
        {
            Task<string?> reading = Task.Run(() => new StreamReader(stream, Encoding.UTF8).ReadLine());
            bool done = reading.Wait(StartTimeout);
            try
            {
                Syscalls.Waitpid(pid, out _, WaitOptions.None); // the first stage exits right after spawning the second
            }
            catch (SyscallException e) when (e.Errno == Errno.ECHILD)
            {
                // reaped by someone else (a host that reaps all children): nothing left to do
            }
            if (!done)
            {
                throw new EngineException(EngineErrorKind.Failed, $"container {options.Id}: the shim did not report within {StartTimeout.TotalSeconds:0} s");
            }
            line = reading.Result;
        }
        ShimStartResult? result = line is null ? null : JsonSerializer.Deserialize(line, EngineJsonContext.Default.ShimStartResult);
        if (result is null)
        {
            throw new EngineException(EngineErrorKind.Failed, $"container {options.Id}: the shim exited without reporting the start");
        }
        return result;
    }

    /// <summary>"wait": blocks until the shim reports the exit; null when the shim is gone or on timeout/cancellation.</summary>
    public static ShimExit? Wait(string socketPath, TimeSpan? timeout, CancellationToken cancellation)
    {
        using Socket? socket = TryConnect(socketPath);
        if (socket is null) return null;
        try
        {
            socket.Send("wait\n"u8);
            long deadline = timeout is { } t ? Environment.TickCount64 + (long)t.TotalMilliseconds : long.MaxValue;
            var buffer = new List<byte>();
            byte[] chunk = new byte[1024];
            while (true)
            {
                if (cancellation.IsCancellationRequested || Environment.TickCount64 >= deadline) return null;
                if (!socket.Poll(TimeSpan.FromMilliseconds(100), SelectMode.SelectRead)) continue;
                int n = socket.Receive(chunk);
                if (n == 0) return null;
                buffer.AddRange(chunk.AsSpan(0, n));
                int newline = buffer.IndexOf((byte)'\n');
                if (newline >= 0)
                {
                    return JsonSerializer.Deserialize(buffer.ToArray().AsSpan(0, newline), EngineJsonContext.Default.ShimExit);
                }
            }
        }
        catch (Exception e) when (e is SocketException or JsonException)
        {
            return null;
        }
    }

    /// <summary>"stdin": forwards <paramref name="stdin"/> to the container until it ends (then the container's stdin is closed).</summary>
    public static Task ForwardStdin(string socketPath, TextReader stdin, CancellationToken cancellation) => Task.Run(() =>
    {
        using Socket? socket = TryConnect(socketPath);
        if (socket is null) return;
        try
        {
            socket.Send("stdin\n"u8);
            char[] buffer = new char[4096];
            while (!cancellation.IsCancellationRequested)
            {
                int n = stdin.Read(buffer, 0, buffer.Length);
                if (n <= 0) break;
                socket.Send(Encoding.UTF8.GetBytes(buffer, 0, n));
            }
            socket.Shutdown(SocketShutdown.Send);
        }
        catch (Exception e) when (e is SocketException or IOException or ObjectDisposedException)
        {
        }
    }, CancellationToken.None);

    private static Socket? TryConnect(string path)
    {
        if (!File.Exists(path)) return null;
        var socket = new Socket(AddressFamily.Unix, System.Net.Sockets.SocketType.Stream, ProtocolType.Unspecified);
        try
        {
            using var usable = new UnixSocketPath(path);
            socket.Connect(new UnixDomainSocketEndPoint(usable.Usable));
            return socket;
        }
        catch (Exception e) when (e is SocketException or SyscallException)
        {
            socket.Dispose();
            return null;
        }
    }

    private static nint Release(SafeFd fd)
    {
        nint value = fd.Value;
        fd.SetHandleAsInvalid();
        return value;
    }
}

/// <summary>
/// Unix socket paths are limited to 107 bytes; a longer one is reached through /proc/self/fd/N/NAME
/// with N an O_PATH descriptor of its directory (same as the shim's UnixSocketPath).
/// </summary>
internal sealed class UnixSocketPath : IDisposable
{
    private readonly SafeFd? _directory;

    public UnixSocketPath(string path)
    {
        if (Encoding.UTF8.GetByteCount(path) < 108)
        {
            Usable = path;
            return;
        }
        _directory = Syscalls.Openat2(SafeFd.CurrentDirectory, Path.GetDirectoryName(path)!,
            OpenHow.Create(OpenFlags.Path | OpenFlags.Directory | OpenFlags.CloseOnExec, ResolveFlags.None));
        Usable = $"/proc/self/fd/{_directory.Value}/{Path.GetFileName(path)}";
    }

    public string Usable { get; }

    public void Dispose() => _directory?.Dispose();
}
