using System.Net.Sockets;
using Containers.Interop;

namespace Containers.Runtime.Process;

/// <summary>
/// ROOT/ID/start.sock: init of a created container listens on it; `start` connects. The connection
/// closes (CLOEXEC) when init execs the container's process, or carries init's error.
/// Paths go through /proc/self/fd so a deep state root never hits sun_path's 108 bytes.
/// </summary>
public static class StartSocket
{
    public const string FileName = "start.sock";

    public static SafeFd Listen(string stateDir) => Syscalls.ListenUnix(ShortPath(stateDir), Interop.SocketType.SeqPacket, backlog: 1);

    public static Socket Connect(string stateDir)
    {
        var socket = new Socket(AddressFamily.Unix, System.Net.Sockets.SocketType.Seqpacket, ProtocolType.Unspecified);
        try
        {
            socket.Connect(new UnixDomainSocketEndPoint(ShortPath(stateDir)));
            return socket;
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    public static bool Exists(string stateDir) => File.Exists(Path.Join(stateDir, FileName));

    private static string ShortPath(string stateDir)
    {
        string full = Path.Join(stateDir, FileName);
        return full.Length < 100 ? full : throw new PathTooLongException($"state directory path too long for a unix socket: {full}");
    }
}
