using System.Net.Sockets;
using System.Text;
using Containers.Interop;
using Microsoft.Win32.SafeHandles;

namespace Containers.Runtime.Tests.Integration;

/// <summary>Terminal mode: the pty master arrives over --console-socket (SCM_RIGHTS) and drives the container's shell.</summary>
public sealed class TerminalTests(RuntimeFixture fixture) : IntegrationTest(fixture)
{
    /// <summary>Listens on a unix socket; the task yields the first descriptor received over it.</summary>
    private static (Socket Listener, Task<SafeFd?> Received) ListenForConsole(string socketPath)
    {
        var listener = new Socket(AddressFamily.Unix, System.Net.Sockets.SocketType.Stream, ProtocolType.Unspecified);
        listener.Bind(new UnixDomainSocketEndPoint(socketPath));
        listener.Listen(1);
        Task<SafeFd?> received = Task.Run(() =>
        {
            using Socket connection = listener.Accept();
            byte[] buffer = new byte[4096];
            return Syscalls.ReceiveFd(new SafeFd((int)connection.Handle, ownsHandle: false), buffer, out _);
        });
        return (listener, received);
    }

    /// <summary>Reads the pty master until EIO (the last slave fd closed).</summary>
    private static Task<string> ReadToEnd(FileStream master) => Task.Run(() =>
    {
        var output = new StringBuilder();
        byte[] buffer = new byte[4096];
        try
        {
            int n;
            while ((n = master.Read(buffer)) > 0)
            {
                output.Append(Encoding.UTF8.GetString(buffer, 0, n));
            }
        }
        catch (IOException)
        {
            // EIO: the end of a pty's output
        }

        return output.ToString();
    });

    private static FileStream Open(SafeFd master) =>
        new(new SafeFileHandle(master.DangerousGetHandle(), ownsHandle: false), FileAccess.ReadWrite, 1, false);

    [Fact]
    public async Task Console_socket_receives_the_pty_master()
    {
        string socketPath = Path.Combine(Sandbox.Dir, "console.sock");
        (Socket listener, Task<SafeFd?> received) = ListenForConsole(socketPath);
        using (listener)
        {
            Bundle bundle = Sandbox.NewBundle(["sh"], b => b.Process["terminal"] = true);
            RunResult create = Sandbox.Create(bundle, "--console-socket", socketPath);
            Assert.True(create.ExitCode == 0, create.ToString());
            using SafeFd master = await received.WaitAsync(TimeSpan.FromSeconds(10))
                ?? throw new Xunit.Sdk.XunitException("the console socket message carried no fd");

            Assert.Equal(0, Sandbox.Runtime("start", bundle.Id).ExitCode);
            using FileStream stream = Open(master);
            stream.Write(Encoding.ASCII.GetBytes("echo $((6*7)); tty; exit 3\n"));
            stream.Flush();
            string text = await ReadToEnd(stream).WaitAsync(TimeSpan.FromSeconds(10));
            Assert.Contains("42\r\n", text);
            Assert.Contains("/dev/pts/0\r\n", text);
            Sandbox.WaitForStatus(bundle.Id, "stopped");
        }
    }

    [Fact]
    public async Task Exec_tty_hands_a_new_pty_over_the_console_socket()
    {
        Bundle bundle = Sandbox.StartSleeper();
        string socketPath = Path.Combine(Sandbox.Dir, "exec-console.sock");
        (Socket listener, Task<SafeFd?> received) = ListenForConsole(socketPath);
        using (listener)
        {
            Task<RunResult> exec = Task.Run(() => Sandbox.Runtime("exec", "--tty", "--console-socket", socketPath, bundle.Id,
                "sh", "-c", "tty; test -t 0 && echo stdin-is-a-tty; exit 5"));
            using SafeFd master = await received.WaitAsync(TimeSpan.FromSeconds(10))
                ?? throw new Xunit.Sdk.XunitException("the console socket message carried no fd");
            using FileStream stream = Open(master);
            string text = await ReadToEnd(stream).WaitAsync(TimeSpan.FromSeconds(10));
            RunResult result = await exec.WaitAsync(TimeSpan.FromSeconds(20));
            Assert.True(result.ExitCode == 5, result.ToString());
            Assert.Matches(@"/dev/pts/\d+\r\n", text);
            Assert.Contains("stdin-is-a-tty", text);
        }
    }

    [Fact]
    public void Terminal_without_console_socket_is_refused_for_create()
    {
        Bundle bundle = Sandbox.NewBundle(["sh"], b => b.Process["terminal"] = true);
        RunResult create = Sandbox.Create(bundle);
        Assert.NotEqual(0, create.ExitCode);
        Assert.Contains("console-socket", create.Stderr);
        Sandbox.AssertNothingLeft(bundle);
    }
}
