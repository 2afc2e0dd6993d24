using System.Diagnostics;
using System.Net.Sockets;
using System.Text;
using Containers.Interop;
using Microsoft.Win32.SafeHandles;

namespace Containers.Engine;

/// <summary>exec with a pty: containers-runtime sends the master to our console socket; we read and write it.</summary>
internal static class ExecWithTerminal
{
    public static IEnumerable<ContainerLogEntry> Run(string runtime, List<string> args, string id, ExecRequest request, TextReader? stdin, Action<int> exitCode, CancellationToken cancellation)
    {
        // A short path: the runtime connects by path, and unix socket paths stop at 107 bytes.
        string path = Path.Join(Path.GetTempPath(), $"cps-{Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(8))}.sock");
        SafeFd listenFd = Syscalls.ListenUnix(path, Interop.SocketType.Stream, backlog: 1);
        int raw = listenFd.Value;
        listenFd.SetHandleAsInvalid();
        var listener = new Socket(new SafeSocketHandle(raw, ownsHandle: true));
        Process process;
        try
        {
            var start = new ProcessStartInfo(runtime) { UseShellExecute = false, RedirectStandardError = true, RedirectStandardInput = true, RedirectStandardOutput = true };
            args.ForEach(start.ArgumentList.Add);
            foreach (string a in new[] { "--tty", "--console-socket", path, id }) start.ArgumentList.Add(a);
            request.Command.ToList().ForEach(start.ArgumentList.Add);
            process = Process.Start(start) ?? throw new EngineException(EngineErrorKind.Failed, "exec: cannot start containers-runtime");
        }
        catch
        {
            listener.Dispose();
            File.Delete(path);
            throw;
        }
        return Iterate(process, listener, path, request, stdin, exitCode, cancellation);
    }

    private static IEnumerable<ContainerLogEntry> Iterate(Process process, Socket listener, string path, ExecRequest request, TextReader? stdin, Action<int> exitCode, CancellationToken cancellation)
    {
        using (listener)
        using (process)
        {
            FileStream? master = null;
            try
            {
                while (!listener.Poll(TimeSpan.FromMilliseconds(100), SelectMode.SelectRead))
                {
                    if (process.HasExited)
                    {
                        string error = process.StandardError.ReadToEnd().Trim();
                        throw new EngineException(EngineErrorKind.Failed, $"exec: {(error.Length > 0 ? error : "containers-runtime exited with " + process.ExitCode)}");
                    }
                    cancellation.ThrowIfCancellationRequested();
                }
                using (Socket connection = listener.Accept())
                using (var fd = new SafeFd((int)connection.Handle, ownsHandle: false))
                {
                    SafeFd received = Syscalls.ReceiveFd(fd, new byte[4096], out _) ?? throw new EngineException(EngineErrorKind.Failed, "exec: no terminal received");
                    int raw = received.Value;
                    received.SetHandleAsInvalid();
                    master = new FileStream(new SafeFileHandle(raw, ownsHandle: true), FileAccess.ReadWrite, 1);
                }
                File.Delete(path);
                if (stdin is not null && request.Interactive)
                {
                    FileStream terminal = master;
                    _ = Task.Run(() =>
                    {
                        try
                        {
                            char[] buffer = new char[1024];
                            int n;
                            while ((n = stdin.Read(buffer, 0, buffer.Length)) > 0) terminal.Write(Encoding.UTF8.GetBytes(buffer, 0, n));
                            terminal.Write([4]); // ^D: end of input for the terminal's reader
                        }
                        catch (Exception e) when (e is IOException or ObjectDisposedException)
                        {
                        }
                    }, CancellationToken.None);
                }
                var line = new List<byte>();
                byte[] chunk = new byte[4096];
                while (!cancellation.IsCancellationRequested)
                {
                    int n;
                    try
                    {
                        n = master.Read(chunk);
                    }
                    catch (IOException)
                    {
                        break; // EIO: the last slave closed
                    }
                    if (n == 0) break;
                    for (int i = 0; i < n; i++)
                    {
                        if (chunk[i] != (byte)'\n')
                        {
                            line.Add(chunk[i]);
                            continue;
                        }
                        yield return Entry(line);
                    }
                }
                if (line.Count > 0) yield return Entry(line);
                process.WaitForExit();
                exitCode(process.ExitCode);
            }
            finally
            {
                master?.Dispose();
                File.Delete(path);
                if (!process.HasExited) process.Kill();
            }
        }
    }

    private static ContainerLogEntry Entry(List<byte> line)
    {
        int count = line.Count > 0 && line[^1] == (byte)'\r' ? line.Count - 1 : line.Count;
        var entry = new ContainerLogEntry("stdout", DateTimeOffset.UtcNow, Encoding.UTF8.GetString(line.ToArray(), 0, count));
        line.Clear();
        return entry;
    }
}
