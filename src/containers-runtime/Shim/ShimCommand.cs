using System.Text;
using System.Text.Json;
using Containers.Interop;
using Containers.Runtime.Lifecycle;
using Containers.Runtime.Process;
using Containers.Runtime.Spec;
using Microsoft.Win32.SafeHandles;

namespace Containers.Cli.Shim;

/// <summary>
/// `shim --run-root R --data-dir D --id ID [--interactive] [--auto-remove --name-file F]
/// [--log-max-size BYTES] [--log-max-files N]`: watches one container for its whole life.
/// </summary>
/// <remarks>
/// The engine spawns the first stage with the write end of a start pipe as fd 3; it spawns the
/// second stage (its own session) and exits at once, so the shim is nobody's child but init's.
/// The second stage is a subreaper, creates and starts the container in-process with pipes (or a
/// pty) for its stdio, reports the start to fd 3 (one JSON line), writes output to container.log,
/// serves DATA/shim.sock, reaps the container, writes DATA/exit.json and deletes the runtime state.
/// </remarks>
public static class ShimCommand
{
    public const int StartPipeFd = 3;
    private static readonly string[] ValueFlags = ["run-root", "data-dir", "id", "name-file", "log-max-size", "log-max-files"];
    private static readonly string[] BoolFlags = ["interactive", "auto-remove", "stage2"];

    public static int Run(string[] args)
    {
        CommandLine line = CommandLine.Parse(args, ValueFlags, BoolFlags);
        using var startPipe = new SafeFd(StartPipeFd);
        if (!line.Has("stage2"))
        {
            return SpawnSecondStage(args, startPipe);
        }
        var shim = new ContainerShim(
            line.Value("run-root") ?? throw new UsageException("shim: --run-root is required"),
            line.Value("data-dir") ?? throw new UsageException("shim: --data-dir is required"),
            line.Value("id") ?? throw new UsageException("shim: --id is required"),
            line.Has("interactive"),
            line.Has("auto-remove") ? line.Value("name-file") ?? string.Empty : null,
            long.TryParse(line.Value("log-max-size"), out long max) ? max : 10 * 1024 * 1024,
            line.IntValue("log-max-files", 3));
        return shim.Run(startPipe);
    }

    private static int SpawnSecondStage(string[] args, SafeFd startPipe)
    {
        string self = Environment.ProcessPath ?? "/proc/self/exe";
        using var request = new SpawnRequest(self, ["containers-runtime", "shim", "--stage2", .. args], SecondStageEnvironment()) { NewSession = true };
        request.Dup2(startPipe, StartPipeFd);
        try
        {
            request.Spawn();
            return 0;
        }
        catch (SyscallException e)
        {
            ReportStart(startPipe, new ShimStartResult { Ok = false, Error = "shim: " + e.Message });
            return 1;
        }
    }

    /// <summary>
    /// Ours, plus GC settings for a process that idles for days: a 256 KiB gen0 budget (the runtime's
    /// default is sized from the cache, MiBs, and all of it stays committed once touched: a container that
    /// logs keeps gen0 small) and no background GC thread. Settings the caller gave win.
    /// </summary>
    private static List<string> SecondStageEnvironment()
    {
        var environment = new List<string>();
        foreach (System.Collections.DictionaryEntry entry in Environment.GetEnvironmentVariables())
        {
            environment.Add($"{entry.Key}={entry.Value}");
        }
        // NativeAOT reads DOTNET_ GC settings from the environment; numbers are hexadecimal.
        if (Environment.GetEnvironmentVariable("DOTNET_GCgen0size") is null) environment.Add("DOTNET_GCgen0size=40000");
        if (Environment.GetEnvironmentVariable("DOTNET_gcConcurrent") is null) environment.Add("DOTNET_gcConcurrent=0");
        return environment;
    }

    internal static void ReportStart(SafeFd startPipe, ShimStartResult result)
    {
        byte[] json = JsonSerializer.SerializeToUtf8Bytes(result, ShimJsonContext.Default.ShimStartResult);
        using var stream = new FileStream(new SafeFileHandle(startPipe.DangerousGetHandle(), ownsHandle: false), FileAccess.Write, 1);
        stream.Write(json);
        stream.WriteByte((byte)'\n');
    }
}

internal sealed class ContainerShim(string runRoot, string dataDir, string id, bool interactive, string? autoRemoveNameFile, long logMaxBytes, int logMaxFiles)
{
    private readonly ManualResetEventSlim _exited = new();
    private readonly Lock _stdinLock = new();
    private ShimExit? _exit;
    private Stream? _stdin;

    private string Bundle => Path.Join(dataDir, "bundle");

    public int Run(SafeFd startPipe)
    {
        Syscalls.SetChildSubreaper(true);
        var store = new StateStore(runRoot);
        var operations = new ContainerOperations(store);
        using var log = new ContainerLogWriter(Path.Join(dataDir, "container.log"), logMaxBytes, logMaxFiles);
        RuntimeLog.WarningSink = message => log.Write("runtime", message);

        ContainerRecord record;
        var pumps = new List<Thread>();
        SafeFd listener;
        try
        {
            RuntimeSpec spec = SpecLoader.Load(Bundle);
            listener = Listen(Path.Join(dataDir, "shim.sock"));
            record = spec.Process?.Terminal == true ? CreateWithTerminal(store, log, pumps) : CreateWithPipes(store, log, pumps);
            try
            {
                operations.Start(id);
            }
            catch
            {
                operations.Delete(id, force: true);
                throw;
            }
        }
        catch (Exception e)
        {
            File.Delete(Path.Join(dataDir, "shim.sock"));
            ShimCommand.ReportStart(startPipe, new ShimStartResult { Ok = false, Error = e.Message });
            return 1;
        }

        ShimCommand.ReportStart(startPipe, new ShimStartResult { Ok = true, ShimPid = Environment.ProcessId, Pid = record.Pid, StartedAt = DateTimeOffset.UtcNow });
        startPipe.Dispose();
        var server = new Thread(() => Serve(listener), maxStackSize: 256 * 1024) { Name = "shim-server", IsBackground = true };
        server.Start();
        ShimMemory.Trim();

        WaitStatus status = ReapUntil(record.Pid);
        foreach (Thread pump in pumps)
        {
            pump.Join(TimeSpan.FromSeconds(5));
        }
        _exit = new ShimExit
        {
            ExitCode = ChildProcess.ShellExitCode(status),
            FinishedAt = DateTimeOffset.UtcNow,
            Reason = status.Exited ? "exited" : "signaled",
        };
        WriteAtomically(Path.Join(dataDir, "exit.json"), JsonSerializer.Serialize(_exit, ShimJsonContext.Default.ShimExit));
        _exited.Set();
        try
        {
            operations.Delete(id, force: true);
        }
        catch (Exception e) when (e is ContainerException or IOException or SyscallException)
        {
            log.Write("runtime", $"delete runtime state: {e.Message}");
        }
        Thread.Sleep(20); // let waiters read their reply before the socket goes
        File.Delete(Path.Join(dataDir, "shim.sock"));
        listener.Dispose();
        if (autoRemoveNameFile is not null)
        {
            log.Dispose();
            AutoRemove.Run(dataDir, autoRemoveNameFile);
        }
        return 0;
    }

    private ContainerRecord CreateWithPipes(StateStore store, ContainerLogWriter log, List<Thread> pumps)
    {
        (SafeFd outRead, SafeFd outWrite) = Syscalls.Pipe2(OpenFlags.CloseOnExec);
        (SafeFd errRead, SafeFd errWrite) = Syscalls.Pipe2(OpenFlags.CloseOnExec);
        SafeFd stdinRead;
        if (interactive)
        {
            (stdinRead, SafeFd stdinWrite) = Syscalls.Pipe2(OpenFlags.CloseOnExec);
            _stdin = ToStream(stdinWrite, FileAccess.Write);
        }
        else
        {
            stdinRead = Syscalls.Openat2(SafeFd.CurrentDirectory, "/dev/null", OpenHow.Create(OpenFlags.ReadOnly | OpenFlags.CloseOnExec, ResolveFlags.None));
        }
        ContainerRecord record;
        using (stdinRead)
        using (outWrite)
        using (errWrite)
        {
            record = new ContainerCreator(store).Create(new CreateOptions { Id = id, Bundle = Bundle, Stdio = [stdinRead, outWrite, errWrite] });
        }
        pumps.Add(OutputPump.Start(ToStream(outRead, FileAccess.Read), "stdout", log));
        pumps.Add(OutputPump.Start(ToStream(errRead, FileAccess.Read), "stderr", log));
        return record;
    }

    private ContainerRecord CreateWithTerminal(StateStore store, ContainerLogWriter log, List<Thread> pumps)
    {
        string path = Path.Join(dataDir, "console.sock");
        File.Delete(path);
        using var usable = new UnixSocketPath(path);
        using SafeFd listener = Syscalls.ListenUnix(usable.Usable, Interop.SocketType.Stream);
        try
        {
            ContainerRecord record = new ContainerCreator(store).Create(new CreateOptions { Id = id, Bundle = Bundle, ConsoleSocket = usable.Usable });
            using SafeFd connection = Accept(listener);
            SafeFd master = Syscalls.ReceiveFd(connection, new byte[4096], out _)
                ?? throw new InvalidOperationException("console: init sent no pty master");
            FileStream terminal = ToStream(master, FileAccess.ReadWrite);
            if (interactive) _stdin = terminal;
            pumps.Add(OutputPump.Start(terminal, "stdout", log));
            return record;
        }
        finally
        {
            File.Delete(path);
        }
    }

    /// <summary>Reaps every child (we are a subreaper) until the container's process has exited.</summary>
    private static WaitStatus ReapUntil(int pid)
    {
        while (true)
        {
            int reaped;
            int status;
            try
            {
                reaped = Syscalls.Waitpid(-1, out status, WaitOptions.None);
            }
            catch (SyscallException e) when (e.Errno == Errno.EINTR)
            {
                continue;
            }
            catch (SyscallException e) when (e.Errno == Errno.ECHILD)
            {
                return new WaitStatus(255 << 8);
            }
            if (reaped == pid) return new WaitStatus(status);
        }
    }

    // Plain syscalls, not System.Net.Sockets: no socket engine thread, and no buffer of the GC heap
    // pinned while a thread blocks (a pin in gen0 keeps the whole region committed).
    private void Serve(SafeFd listener)
    {
        while (true)
        {
            SafeFd client;
            try
            {
                client = Accept(listener);
            }
            catch (SyscallException e) when (e.Errno == Errno.EMFILE || e.Errno == Errno.ENOMEM || e.Errno.Value is 23 or 103 or 105)
            {
                // ENFILE, ECONNABORTED, ENOBUFS: this connection is lost, the listener is fine
                Thread.Sleep(10);
                continue;
            }
            catch (Exception e) when (e is SyscallException or ObjectDisposedException)
            {
                return; // closed at exit
            }
            var thread = new Thread(() => Handle(client), maxStackSize: 256 * 1024) { Name = "shim-client", IsBackground = true };
            thread.Start();
        }
    }

    // Requests, one line each: "wait" → the exit.json line once exited; "stdin" → the rest of the
    // connection is forwarded to the container's stdin (closed at EOF).
    private void Handle(SafeFd client)
    {
        using (client)
        {
            try
            {
                string? request = ReadLine(client);
                switch (request)
                {
                    case "wait":
                        _exited.Wait();
                        byte[] json = JsonSerializer.SerializeToUtf8Bytes(_exit!, ShimJsonContext.Default.ShimExit);
                        SendAll(client, [.. json, (byte)'\n']);
                        break;
                    case "stdin":
                        ForwardStdin(client);
                        break;
                    default:
                        SendAll(client, Encoding.UTF8.GetBytes($"error: unknown request \"{request}\"\n"));
                        break;
                }
            }
            catch (Exception e) when (e is IOException or SyscallException or ObjectDisposedException)
            {
                // the client went away
            }
        }
    }

    private void ForwardStdin(SafeFd client)
    {
        Stream? stdin = _stdin;
        if (stdin is null) return;
        Span<byte> buffer = stackalloc byte[8192]; // not the GC heap: no pin while the client is idle
        int n;
        while ((n = (int)Syscalls.Recv(client, buffer, (nuint)buffer.Length, MessageFlags.None)) > 0)
        {
            lock (_stdinLock)
            {
                stdin.Write(buffer[..n]);
                stdin.Flush();
            }
        }
        if (stdin is FileStream { CanRead: false })
        {
            stdin.Dispose(); // a pipe: EOF for the container; a pty stays open
            _stdin = null;
        }
    }

    /// <summary>One request line, read a byte at a time: what follows it (stdin data) stays in the socket.</summary>
    private static string? ReadLine(SafeFd socket)
    {
        Span<byte> bytes = stackalloc byte[257];
        Span<byte> one = stackalloc byte[1];
        int count = 0;
        while (true)
        {
            if (Syscalls.Recv(socket, one, 1, MessageFlags.None) <= 0)
            {
                return count == 0 ? null : Encoding.UTF8.GetString(bytes[..count]);
            }
            if (one[0] == (byte)'\n') return Encoding.UTF8.GetString(bytes[..count]);
            if (count == bytes.Length) return null;
            bytes[count++] = one[0];
        }
    }

    private static void SendAll(SafeFd socket, ReadOnlySpan<byte> data)
    {
        while (!data.IsEmpty)
        {
            int n = (int)Syscalls.Send(socket, data, (nuint)data.Length, MessageFlags.NoSignal);
            data = data[n..];
        }
    }

    private static unsafe SafeFd Accept(SafeFd listener) => Syscalls.Accept4(listener, null, null, Interop.SocketType.CloseOnExec);

    private static SafeFd Listen(string path)
    {
        File.Delete(path);
        using var usable = new UnixSocketPath(path);
        return Syscalls.ListenUnix(usable.Usable, Interop.SocketType.Stream, backlog: 64);
    }

    private static FileStream ToStream(SafeFd fd, FileAccess access) =>
        new(new SafeFileHandle(Release(fd), ownsHandle: true), access, 1);

    /// <summary>Hands the descriptor to another owner (a Socket, a FileStream).</summary>
    private static nint Release(SafeFd fd)
    {
        nint value = fd.Value;
        fd.SetHandleAsInvalid();
        return value;
    }

    private static void WriteAtomically(string path, string content)
    {
        string temp = path + ".tmp";
        File.WriteAllText(temp, content);
        File.Move(temp, path, overwrite: true);
    }
}

/// <summary>--auto-remove: after exit, the container's data (its rootfs mount first) and name claim go.</summary>
/// <remarks>
/// Same order as the engine's removal: every mount stacked on the rootfs detached (nothing is deleted
/// while one stays: a recursive delete would go through it and leave the mount behind without its
/// container), then the directory renamed out of the way under the lock (a session waiting for the
/// lock then finds no container rather than re-creating the lock file in a half-deleted directory),
/// then deleted.
/// </remarks>
internal static class AutoRemove
{
    public static void Run(string dataDir, string nameFile)
    {
        using (var lockFile = TryLock(Path.Join(dataDir, "lock")))
        {
            if (lockFile is null) return; // removed by the engine meanwhile
            if (!Unmount(Path.Join(dataDir, "bundle", "rootfs"))) return; // left for Remove-Container
            string trash = Path.Join(Path.GetDirectoryName(dataDir)!, $".removing-{Path.GetFileName(dataDir)}-{Guid.NewGuid():N}");
            try
            {
                Directory.Move(dataDir, trash);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                return;
            }
            try
            {
                Directory.Delete(trash, recursive: true);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
            }
        }
        try
        {
            // Only our own claim: the name may have been released and claimed again meanwhile.
            if (nameFile.Length > 0 && File.ReadAllText(nameFile).Trim() == Path.GetFileName(dataDir)) File.Delete(nameFile);
        }
        catch (IOException)
        {
        }
    }

    /// <summary>Detaches every mount on <paramref name="path"/>; false if one cannot be.</summary>
    internal static bool Unmount(string path)
    {
        for (int i = 0; i < 16; i++)
        {
            Errno errno = Syscalls.TryUmount2(path, UmountFlags.Detach);
            if (errno == Errno.EINVAL || errno == Errno.ENOENT) return true; // not (or no longer) a mount point
            if (!errno.IsSuccess) return false;
        }
        return false;
    }

    private static FileStream? TryLock(string path)
    {
        long deadline = Environment.TickCount64 + 60_000; // as long as the engine waits for a lock
        while (true)
        {
            try
            {
                return new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
            }
            catch (DirectoryNotFoundException)
            {
                return null; // removed meanwhile (Remove-Container)
            }
            catch (IOException) when (Environment.TickCount64 < deadline)
            {
                Thread.Sleep(10);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                return null;
            }
        }
    }
}
