

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
        // A plain socket(2): System.Net.Sockets would start its epoll thread in init for one ioctl.
        using SafeFd fd = Socket(AfInet, SocketType.Datagram | SocketType.CloseOnExec, 0);
        byte* ifreq = stackalloc byte[40]; // struct ifreq: char ifr_name[16]; short ifr_flags; ...
        new Span<byte>(ifreq, 40).Clear();
        System.Text.Encoding.ASCII.GetBytes(name, new Span<byte>(ifreq, 15));
        IoctlPointer(fd, SIOCGIFFLAGS, ifreq);
        *(short*)(ifreq + 16) |= IFF_UP;
        IoctlPointer(fd, SIOCSIFFLAGS, ifreq);
    }
}
