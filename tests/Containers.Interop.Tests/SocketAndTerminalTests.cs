using System.Text;

namespace Containers.Interop.Tests;

public class SocketAndTerminalTests
{
    [Fact]
    public void ScmRightsPassesADescriptor()
    {
        var (left, right) = Syscalls.Socketpair(SocketType.Stream | SocketType.CloseOnExec);
        using (left)
        using (right)
        using (SafeFd memfd = Syscalls.MemfdCreate("ctr-scm", MemfdFlags.CloseOnExec))
        {
            TestSupport.Write(memfd, "passed-through-socket");
            Syscalls.SendFd(left, memfd, "M"u8);

            Span<byte> buffer = stackalloc byte[8];
            using SafeFd? received = Syscalls.ReceiveFd(right, buffer, out int bytes);

            Assert.Equal(1, bytes);
            Assert.Equal((byte)'M', buffer[0]);
            Assert.NotNull(received);
            Assert.NotEqual(memfd.Value, received!.Value);
            Assert.Equal("passed-through-socket", TestSupport.ReadAt(received, 64));
            Assert.Equal(1, Syscalls.Fcntl(received, FcntlCommand.GetFd, 0) & 1); // MSG_CMSG_CLOEXEC
        }
    }

    [Fact]
    public void PseudoTerminalOpensUnlocksAndCarriesWindowSize()
    {
        var (master, peerPath) = Syscalls.OpenPseudoTerminal();
        using (master)
        {
            Assert.StartsWith("/dev/pts/", peerPath);
            Assert.True(File.Exists(peerPath));
            int number = 0;
            Syscalls.Ioctl(master, TerminalRequest.GetPtyNumber, ref number);
            Assert.Equal("/dev/pts/" + number, peerPath);

            using SafeFd peer = Syscalls.OpenPeer(master, OpenFlags.ReadWrite | OpenFlags.NoCtty | OpenFlags.CloseOnExec);
            Syscalls.SetWindowSize(master, new WindowSize { Rows = 40, Columns = 120 });
            WindowSize size = Syscalls.GetWindowSize(peer);

            Assert.Equal(40, size.Rows);
            Assert.Equal(120, size.Columns);
        }
    }

    [Fact]
    public void SignalfdReceivesABlockedSignal()
    {
        TestSupport.OnDedicatedThread(() =>
        {
            var set = default(SigSet);
            set.Add(Signal.SIGUSR2);
            SigSet old = Syscalls.PthreadSigmask(SigmaskHow.Block, in set);
            try
            {
                using SafeFd fd = Syscalls.Signalfd(-1, in set, SignalfdFlags.CloseOnExec | SignalfdFlags.NonBlock);
                int tid = int.Parse(Path.GetFileName(new FileInfo("/proc/thread-self").LinkTarget!));
                Assert.Equal(0, tgkill(Environment.ProcessId, tid, (int)Signal.SIGUSR2));
                Span<byte> buffer = stackalloc byte[128];
                using var stream = new FileStream(new Microsoft.Win32.SafeHandles.SafeFileHandle(fd.DangerousGetHandle(), false), FileAccess.Read, 1);
                Assert.Equal(128, stream.Read(buffer));
                SignalfdSiginfo info = System.Runtime.InteropServices.MemoryMarshal.Read<SignalfdSiginfo>(buffer);
                Assert.Equal((uint)Signal.SIGUSR2, info.Signal);
                Assert.Equal((uint)Environment.ProcessId, info.Pid);
            }
            finally
            {
                Syscalls.PthreadSigmask(SigmaskHow.SetMask, in old);
            }
        });
    }

    [System.Runtime.InteropServices.DllImport("libc.so.6")]
    private static extern int tgkill(int tgid, int tid, int sig);
}
