using System.Runtime.InteropServices;

namespace Containers.Interop;

/// <summary>socket(2) types, <c>SOCK_*</c>, with the creation flags.</summary>
[Flags]
public enum SocketType
{
    /// <summary>SOCK_STREAM</summary>
    Stream = 1,
    /// <summary>SOCK_DGRAM</summary>
    Datagram = 2,
    /// <summary>SOCK_SEQPACKET</summary>
    SeqPacket = 5,
    /// <summary>SOCK_NONBLOCK</summary>
    NonBlock = 0x800,
    /// <summary>SOCK_CLOEXEC</summary>
    CloseOnExec = 0x80000,
}

/// <summary>sendmsg/recvmsg flags, <c>MSG_*</c>.</summary>
[Flags]
public enum MessageFlags
{
    None = 0,
    /// <summary>MSG_PEEK</summary>
    Peek = 0x2,
    /// <summary>MSG_CTRUNC</summary>
    ControlTruncated = 0x8,
    /// <summary>MSG_TRUNC</summary>
    Truncated = 0x20,
    /// <summary>MSG_DONTWAIT</summary>
    DontWait = 0x40,
    /// <summary>MSG_NOSIGNAL</summary>
    NoSignal = 0x4000,
    /// <summary>MSG_CMSG_CLOEXEC: received descriptors are close-on-exec.</summary>
    CmsgCloseOnExec = 0x40000000,
}

/// <summary>struct iovec.</summary>
[StructLayout(LayoutKind.Sequential)]
public unsafe struct IoVector
{
    public void* Base;
    public nuint Length;
}

/// <summary>struct msghdr (56 bytes on 64-bit Linux).</summary>
[StructLayout(LayoutKind.Sequential)]
public unsafe struct MessageHeader
{
    public void* Name;
    public uint NameLength;
    public IoVector* Iov;
    public nuint IovLength;
    public void* Control;
    public nuint ControlLength;
    public MessageFlags Flags;
}

/// <summary>struct cmsghdr followed by one int: the SCM_RIGHTS message for a single descriptor.</summary>
[StructLayout(LayoutKind.Sequential)]
public struct SingleFdControlMessage
{
    /// <summary>SOL_SOCKET</summary>
    public const int SolSocket = 1;

    /// <summary>SCM_RIGHTS</summary>
    public const int ScmRights = 1;

    /// <summary>CMSG_LEN(sizeof(int)): header (16) plus the int.</summary>
    public const int MessageLength = 20;

    /// <summary>cmsg_len</summary>
    public nuint Length;
    /// <summary>cmsg_level</summary>
    public int Level;
    /// <summary>cmsg_type</summary>
    public int Type;
    /// <summary>The descriptor.</summary>
    public int Fd;
    /// <summary>Padding to CMSG_SPACE(sizeof(int)) = 24.</summary>
    public int Padding;
}
