using System.Runtime.InteropServices;

namespace Containers.Interop;

/// <summary>Terminal ioctl requests, <c>TIOC*</c> (asm-generic values, the same on x86_64 and aarch64).</summary>
public enum TerminalRequest : ulong
{
    /// <summary>TIOCSCTTY: make this terminal the controlling terminal (arg 0).</summary>
    SetControllingTerminal = 0x540E,
    /// <summary>TIOCGWINSZ</summary>
    GetWindowSize = 0x5413,
    /// <summary>TIOCSWINSZ</summary>
    SetWindowSize = 0x5414,
    /// <summary>TIOCNOTTY</summary>
    NoControllingTerminal = 0x5422,
    /// <summary>TIOCGPTN: the pty number (unsigned int*).</summary>
    GetPtyNumber = 0x80045430,
    /// <summary>TIOCSPTLCK: lock (1) or unlock (0) the peer (int*).</summary>
    SetPtyLock = 0x40045431,
    /// <summary>TIOCGPTPEER: open the peer by fd, safe against /dev/pts races (arg: O_* flags).</summary>
    GetPtyPeer = 0x5441,
}

/// <summary>struct winsize.</summary>
[StructLayout(LayoutKind.Sequential)]
public struct WindowSize
{
    public ushort Rows;
    public ushort Columns;
    public ushort XPixels;
    public ushort YPixels;
}
