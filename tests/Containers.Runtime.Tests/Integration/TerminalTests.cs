using System.Net.Sockets;
using System.Text;
using Containers.Interop;
using Microsoft.Win32.SafeHandles;

namespace Containers.Runtime.Tests.Integration;

/// <summary>Terminal mode: the pty master arrives over --console-socket (SCM_RIGHTS) and drives the container's shell.</summary>
public sealed class TerminalTests(RuntimeFixture fixture) : IntegrationTest(fixture)
{
    [Fact]
    public async Task Console_socket_receives_the_pty_master()
    {
        string socketPath = Path.Combine(Sandbox.Dir, "console.sock");
        using var listener = new Socket(AddressFamily.Unix, System.Net.Sockets.SocketType.Stream, ProtocolType.Unspecified);
        listener.Bind(new UnixDomainSocketEndPoint(socketPath));
        listener.Listen(1);
        Task<SafeFd?> received = Task.Run(() =>
        {
            using Socket connection = listener.Accept();
            byte[] buffer = new byte[4096];
            return Syscalls.ReceiveFd(new SafeFd((int)connection.Handle, ownsHandle: false), buffer, out _);
        });

        Bundle bundle = Sandbox.NewBundle(["sh"], b => b.Process["terminal"] = true);
        RunResult create = Sandbox.Create(bundle, "--console-socket", socketPath);
        Assert.True(create.ExitCode == 0, create.ToString());
        using SafeFd master = await received.WaitAsync(TimeSpan.FromSeconds(10)) ?? throw new Xunit.Sdk.XunitException("the console socket message carried no fd");

        Assert.Equal(0, Sandbox.Runtime("start", bundle.Id).ExitCode);
        using var stream = new FileStream(new SafeFileHandle(master.DangerousGetHandle(), ownsHandle: false), FileAccess.ReadWrite, 1, false);
        stream.Write(Encoding.ASCII.GetBytes("echo $((6*7)); tty; exit 3\n"));
        stream.Flush();

        var output = new StringBuilder();
        Task reader = Task.Run(() =>
        {
            byte[] buffer = new byte[4096];
            try
            {
                int n;
                while ((n = stream.Read(buffer)) > 0)
                {
                    output.Append(Encoding.UTF8.GetString(buffer, 0, n));
                }
            }
            catch (IOException)
            {
                // EIO once the last slave fd closes: the end of a pty's output
            }
        });
        await reader.WaitAsync(TimeSpan.FromSeconds(10));
        string text = output.ToString();
        Assert.Contains("42\r\n", text);
        Assert.Contains("/dev/pts/0\r\n", text);
        Sandbox.WaitForStatus(bundle.Id, "stopped");
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
