using System.Text;

namespace Containers.Interop;

/// <summary>Pseudo-terminals for containers with a console.</summary>
public static partial class Syscalls
{
    /// <summary>posix_openpt(3): opens /dev/ptmx.</summary>
    [Syscall("posix_openpt")]
    public static partial SafeFd PosixOpenpt(OpenFlags flags);

    /// <summary>unlockpt(3).</summary>
    [Syscall("unlockpt")]
    public static partial void Unlockpt(SafeFd master);

    /// <summary>ptsname_r(3): returns the errno instead of setting it.</summary>
    [Syscall("ptsname_r", Returns = SyscallReturn.ErrorNumber)]
    public static partial void PtsnameR(SafeFd master, Span<byte> buffer, nuint length);

    /// <summary>ioctl(2) with an integer argument.</summary>
    [Syscall("ioctl")]
    public static partial int Ioctl(SafeFd fd, TerminalRequest request, nint argument);

    /// <summary>ioctl(2) with a struct winsize.</summary>
    [Syscall("ioctl")]
    public static partial int Ioctl(SafeFd fd, TerminalRequest request, ref WindowSize size);

    /// <summary>ioctl(2) with an int in/out argument (TIOCGPTN, TIOCSPTLCK).</summary>
    [Syscall("ioctl")]
    public static partial int Ioctl(SafeFd fd, TerminalRequest request, ref int value);

    /// <summary>A new pty master (O_RDWR|O_NOCTTY|O_CLOEXEC), unlocked, and the path of its peer.</summary>
    public static (SafeFd Master, string PeerPath) OpenPseudoTerminal()
    {
        SafeFd master = PosixOpenpt(OpenFlags.ReadWrite | OpenFlags.NoCtty | OpenFlags.CloseOnExec);
        try
        {
            Unlockpt(master);
            return (master, Ptsname(master));
        }
        catch
        {
            master.Dispose();
            throw;
        }
    }

    /// <summary>ptsname_r(3) as a string.</summary>
    public static string Ptsname(SafeFd master)
    {
        Span<byte> buffer = stackalloc byte[128];
        PtsnameR(master, buffer, (nuint)buffer.Length);
        int length = buffer.IndexOf((byte)0);
        return Encoding.UTF8.GetString(buffer[..(length < 0 ? buffer.Length : length)]);
    }

    /// <summary>ioctl(TIOCGPTPEER): the peer, opened through the master (no path lookup).</summary>
    public static SafeFd OpenPeer(SafeFd master, OpenFlags flags) => new(Ioctl(master, TerminalRequest.GetPtyPeer, (nint)flags.ToNative()));

    /// <summary>ioctl(TIOCGWINSZ).</summary>
    public static WindowSize GetWindowSize(SafeFd terminal)
    {
        WindowSize size = default;
        Ioctl(terminal, TerminalRequest.GetWindowSize, ref size);
        return size;
    }

    /// <summary>ioctl(TIOCSWINSZ).</summary>
    public static void SetWindowSize(SafeFd terminal, WindowSize size) => Ioctl(terminal, TerminalRequest.SetWindowSize, ref size);

    /// <summary>ioctl(TIOCSCTTY, 0): needs a session leader without a controlling terminal.</summary>
    public static void SetControllingTerminal(SafeFd terminal) => Ioctl(terminal, TerminalRequest.SetControllingTerminal, 0);
}
