using System.Net.Sockets;
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
        using var request = new SpawnRequest(self, ["containers-runtime", "shim", "--stage2", .. args]) { NewSession = true };
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
        Socket listener;
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
        using var listener = new Socket(new SafeSocketHandle(Release(Syscalls.ListenUnix(usable.Usable, Interop.SocketType.Stream)), ownsHandle: true));
        try
        {
            ContainerRecord record = new ContainerCreator(store).Create(new CreateOptions { Id = id, Bundle = Bundle, ConsoleSocket = usable.Usable });
            using Socket connection = listener.Accept();
            using var connectionFd = new SafeFd((int)connection.Handle, ownsHandle: false);
            SafeFd master = Syscalls.ReceiveFd(connectionFd, new byte[4096], out _)
                ?? throw new InvalidOperationException("console: init sent no pty master");
            Stream terminal = ToStream(master, FileAccess.ReadWrite);
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

    private void Serve(Socket listener)
    {
        while (true)
        {
            Socket client;
            try
            {
                client = listener.Accept();
            }
            catch (Exception e) when (e is SocketException or ObjectDisposedException)
            {
                return;
            }
            var thread = new Thread(() => Handle(client), maxStackSize: 256 * 1024) { Name = "shim-client", IsBackground = true };
            thread.Start();
        }
    }

    // Requests, one line each: "wait" → the exit.json line once exited; "stdin" → the rest of the
    // connection is forwarded to the container's stdin (closed at EOF).
    private void Handle(Socket client)
    {
        using (client)
        {
            try
            {
                var stream = new NetworkStream(client, ownsSocket: false);
                string? request = ReadLine(stream);
                switch (request)
                {
                    case "wait":
                        _exited.Wait();
                        stream.Write(JsonSerializer.SerializeToUtf8Bytes(_exit!, ShimJsonContext.Default.ShimExit));
                        stream.WriteByte((byte)'\n');
                        break;
                    case "stdin":
                        ForwardStdin(stream);
                        break;
                    default:
                        stream.Write(Encoding.UTF8.GetBytes($"error: unknown request \"{request}\"\n"));
                        break;
                }
            }
            catch (Exception e) when (e is IOException or SocketException or ObjectDisposedException)
            {
                // the client went away
            }
        }
    }

    private void ForwardStdin(Stream client)
    {
        Stream? stdin = _stdin;
        if (stdin is null) return;
        byte[] buffer = new byte[8192];
        int n;
        while ((n = client.Read(buffer)) > 0)
        {
            lock (_stdinLock)
            {
                stdin.Write(buffer, 0, n);
                stdin.Flush();
            }
        }
        if (stdin is FileStream { CanRead: false })
        {
            stdin.Dispose(); // a pipe: EOF for the container; a pty stays open
            _stdin = null;
        }
    }

    private static string? ReadLine(Stream stream)
    {
        var bytes = new List<byte>();
        int b;
        while ((b = stream.ReadByte()) >= 0 && b != '\n')
        {
            if (bytes.Count > 256) return null;
            bytes.Add((byte)b);
        }
        return b < 0 && bytes.Count == 0 ? null : Encoding.UTF8.GetString(bytes.ToArray());
    }

    private static Socket Listen(string path)
    {
        File.Delete(path);
        using var usable = new UnixSocketPath(path);
        SafeFd fd = Syscalls.ListenUnix(usable.Usable, Interop.SocketType.Stream, backlog: 64);
        return new Socket(new SafeSocketHandle(Release(fd), ownsHandle: true));
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
