

namespace Containers.Interop;

/// <summary>Network interface flags, for the loopback of a new network namespace.</summary>
public static unsafe partial class Syscalls
{
    private const ulong SIOCGIFFLAGS = 0x8913, SIOCSIFFLAGS = 0x8914;
    private const short IFF_UP = 0x1;

    /// <summary>ioctl(2) with a pointer argument.</summary>
    [Syscall("ioctl")]
    public static partial int IoctlPointer(SafeFd fd, ulong request, void* argument);

    /// <summary>Sets IFF_UP on an interface of the calling thread's network namespace (e.g. "lo").</summary>
    public static void BringInterfaceUp(string name)
    {
        using var socket = new System.Net.Sockets.Socket(System.Net.Sockets.AddressFamily.InterNetwork, System.Net.Sockets.SocketType.Dgram, System.Net.Sockets.ProtocolType.Udp);
        using var fd = new SafeFd((int)socket.Handle, ownsHandle: false);
        byte* ifreq = stackalloc byte[40]; // struct ifreq: char ifr_name[16]; short ifr_flags; ...
        new Span<byte>(ifreq, 40).Clear();
        System.Text.Encoding.ASCII.GetBytes(name, new Span<byte>(ifreq, 15));
        IoctlPointer(fd, SIOCGIFFLAGS, ifreq);
        *(short*)(ifreq + 16) |= IFF_UP;
        IoctlPointer(fd, SIOCSIFFLAGS, ifreq);
    }
}
