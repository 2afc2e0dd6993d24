using System.Text;

namespace Containers.Interop;

/// <summary>
/// A listening unix socket made with socket/bind/listen directly: .NET's Socket unlinks the path it
/// bound when disposed, but our listener's path must outlive the process that binds it.
/// </summary>
public static unsafe partial class Syscalls
{
    [Syscall("socket")]
    public static partial SafeFd Socket(int domain, SocketType type, int protocol);

    [Syscall("bind")]
    public static partial void Bind(SafeFd socket, void* address, uint addressLength);

    [Syscall("listen")]
    public static partial void Listen(SafeFd socket, int backlog);

    /// <summary>socket(AF_UNIX, type|SOCK_CLOEXEC) bound to <paramref name="path"/> and listening.</summary>
    public static SafeFd ListenUnix(string path, SocketType type, int backlog = 8)
    {
        byte[] name = Encoding.UTF8.GetBytes(path);
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
            Bind(socket, address, (uint)(2 + name.Length + 1));
            Listen(socket, backlog);
            return socket;
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }
}
