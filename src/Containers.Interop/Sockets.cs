namespace Containers.Interop;

/// <summary>Unix sockets and descriptor passing (SCM_RIGHTS), as --console-socket needs.</summary>
public static partial class Syscalls
{
    /// <summary>AF_UNIX</summary>
    public const int AfUnix = 1;

    /// <summary>socketpair(2), C shape.</summary>
    [Syscall("socketpair")]
    public static partial void Socketpair(int domain, SocketType type, int protocol, out FdPair fds);

    /// <summary>socketpair(AF_UNIX, type): both ends, owned.</summary>
    public static (SafeFd First, SafeFd Second) Socketpair(SocketType type)
    {
        Socketpair(AfUnix, type, 0, out FdPair fds);
        return (new SafeFd(fds.First), new SafeFd(fds.Second));
    }

    /// <summary>sendmsg(2): the number of bytes sent.</summary>
    [Syscall("sendmsg")]
    public static partial nint Sendmsg(SafeFd socket, in MessageHeader message, MessageFlags flags);

    /// <summary>recvmsg(2): the number of bytes received (0 at end of stream).</summary>
    [Syscall("recvmsg")]
    public static partial nint Recvmsg(SafeFd socket, ref MessageHeader message, MessageFlags flags);

    /// <summary>Sends <paramref name="fd"/> with <paramref name="data"/> (at least one byte: a stream needs payload to carry ancillary data).</summary>
    public static unsafe void SendFd(SafeFd socket, SafeFd fd, ReadOnlySpan<byte> data)
    {
        if (data.IsEmpty)
        {
            throw new ArgumentException("At least one byte must accompany a descriptor.", nameof(data));
        }

        bool added = false;
        try
        {
            fd.DangerousAddRef(ref added);
            fixed (byte* payload = data)
            {
                var iov = new IoVector { Base = payload, Length = (nuint)data.Length };
                var control = new SingleFdControlMessage
                {
                    Length = SingleFdControlMessage.MessageLength,
                    Level = SingleFdControlMessage.SolSocket,
                    Type = SingleFdControlMessage.ScmRights,
                    Fd = (int)fd.DangerousGetHandle(),
                };
                var message = new MessageHeader
                {
                    Iov = &iov,
                    IovLength = 1,
                    Control = &control,
                    ControlLength = (nuint)sizeof(SingleFdControlMessage),
                };
                Sendmsg(socket, in message, MessageFlags.NoSignal);
            }
        }
        finally
        {
            if (added)
            {
                fd.DangerousRelease();
            }
        }
    }

    /// <summary>
    /// Receives data and at most one descriptor (close-on-exec). Returns the descriptor, or null when
    /// the message carried none; <paramref name="bytesReceived"/> is 0 at end of stream.
    /// </summary>
    public static unsafe SafeFd? ReceiveFd(SafeFd socket, Span<byte> buffer, out int bytesReceived)
    {
        fixed (byte* payload = buffer)
        {
            var iov = new IoVector { Base = payload, Length = (nuint)buffer.Length };
            SingleFdControlMessage control = default;
            var message = new MessageHeader
            {
                Iov = &iov,
                IovLength = 1,
                Control = &control,
                ControlLength = (nuint)sizeof(SingleFdControlMessage),
            };
            bytesReceived = (int)Recvmsg(socket, ref message, MessageFlags.CmsgCloseOnExec);
            bool hasFd = message.ControlLength >= SingleFdControlMessage.MessageLength
                && control.Level == SingleFdControlMessage.SolSocket
                && control.Type == SingleFdControlMessage.ScmRights;
            return hasFd ? new SafeFd(control.Fd) : null;
        }
    }
}
