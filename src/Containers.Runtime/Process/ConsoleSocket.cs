using System.Net.Sockets;
using Containers.Interop;

namespace Containers.Runtime.Process;

/// <summary>--console-socket: a unix socket on which the caller receives the pty master (SCM_RIGHTS).</summary>
public static class ConsoleSocket
{
    public static SafeFd Connect(string path)
    {
        var socket = new Socket(AddressFamily.Unix, System.Net.Sockets.SocketType.Stream, ProtocolType.Unspecified);
        try
        {
            socket.Connect(new UnixDomainSocketEndPoint(path));
        }
        catch (SocketException e)
        {
            socket.Dispose();
            throw new ArgumentException($"--console-socket \"{path}\": cannot connect: {e.Message}", e);
        }
        var fd = new SafeFd(Syscalls.Fcntl(new SafeFd((int)socket.Handle, ownsHandle: false), FcntlCommand.DupFdCloseOnExec, 3));
        socket.Dispose();
        return fd;
    }
}
