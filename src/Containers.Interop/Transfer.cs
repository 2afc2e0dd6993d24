using System.Runtime.InteropServices;

namespace Containers.Interop;

/// <summary>Hot-path I/O without the managed stream and socket layers: thread ids, in-kernel file copy, plain socket send/receive, poll.</summary>
public static partial class Syscalls
{
    /// <summary>AF_INET</summary>
    public const int AfInet = 2;

    /// <summary>gettid(2): the calling thread's id in the caller's pid namespace.</summary>
    [Syscall("gettid", Binding = SyscallBinding.Raw)]
    public static partial int Gettid();

    /// <summary>sendfile(2) from the current offset of <paramref name="input"/>: the number of bytes copied, 0 at its end.</summary>
    [Syscall("sendfile")]
    public static unsafe partial nint Sendfile(SafeFd output, SafeFd input, long* offset, nuint count);

    /// <summary>send(2): the number of bytes sent (a SOCK_SEQPACKET send is one whole message).</summary>
    [Syscall("send")]
    public static partial nint Send(SafeFd socket, ReadOnlySpan<byte> buffer, nuint length, MessageFlags flags);

    /// <summary>recv(2): the number of bytes received, 0 at end of stream; with MSG_TRUNC on a datagram or
    /// SOCK_SEQPACKET socket, the message's real length.</summary>
    [Syscall("recv")]
    public static partial nint Recv(SafeFd socket, Span<byte> buffer, nuint length, MessageFlags flags);

    /// <summary>poll(2) on one descriptor: the events that occurred, or 0 when <paramref name="timeoutMs"/> passed (-1 waits forever).</summary>
    public static PollEvents PollOne(SafeFd fd, PollEvents events, int timeoutMs)
    {
        var entry = new PollFd { Fd = fd.Value, Events = events };
        return Poll(ref entry, 1, timeoutMs) == 0 ? PollEvents.None : entry.Returned;
    }

    [Syscall("connect")]
    public static unsafe partial void Connect(SafeFd socket, void* address, uint addressLength);

    /// <summary>accept4(2): the connection, with <paramref name="flags"/> (SOCK_CLOEXEC) applied.</summary>
    [Syscall("accept4")]
    public static unsafe partial SafeFd Accept4(SafeFd socket, void* address, void* addressLength, SocketType flags);

    /// <summary>socket(AF_UNIX, type|SOCK_CLOEXEC) connected to <paramref name="path"/>.</summary>
    public static unsafe SafeFd ConnectUnix(string path, SocketType type)
    {
        byte[] name = System.Text.Encoding.UTF8.GetBytes(path);
        if (name.Length >= 108)
        {
            throw new PathTooLongException($"unix socket path is {name.Length} bytes, the limit is 107: {path}");
        }
        SafeFd socket = Socket(AfUnix, type | SocketType.CloseOnExec, 0);
        try
        {
            byte* address = stackalloc byte[110]; // struct sockaddr_un: sa_family_t + char sun_path[108]
            new Span<byte>(address, 110).Clear();
            *(ushort*)address = AfUnix;
            name.CopyTo(new Span<byte>(address + 2, 108));
            Connect(socket, address, (uint)(2 + name.Length + 1));
            return socket;
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    /// <summary>poll(2).</summary>
    [Syscall("poll")]
    public static partial int Poll(ref PollFd fds, nuint count, int timeoutMs);
}

/// <summary>struct pollfd.</summary>
[StructLayout(LayoutKind.Sequential)]
public struct PollFd
{
    public int Fd;
    public PollEvents Events;
    public PollEvents Returned;
}

/// <summary>poll(2) event bits.</summary>
[Flags]
public enum PollEvents : short
{
    None = 0,
    /// <summary>POLLIN</summary>
    In = 0x1,
    /// <summary>POLLPRI</summary>
    Priority = 0x2,
    /// <summary>POLLOUT</summary>
    Out = 0x4,
    /// <summary>POLLERR</summary>
    Error = 0x8,
    /// <summary>POLLHUP</summary>
    HangUp = 0x10,
    /// <summary>POLLNVAL</summary>
    Invalid = 0x20,
}
