using Containers.Interop;

namespace Containers.Runtime.Process;

/// <summary>
/// One end of the parent↔init channel (SOCK_SEQPACKET: each send is one message). Plain send/recv/poll
/// on the descriptor: System.Net.Sockets would start its epoll thread in both processes for nothing.
/// </summary>
public sealed class SyncSocket : IDisposable
{
    // Large enough for config.json with a full seccomp profile; SEQPACKET truncates longer messages,
    // so the sender checks the size.
    public const int MaxMessage = 1 << 20;
    private readonly SafeFd _socket;

    public SyncSocket(SafeFd socket) => _socket = socket;

    /// <summary>Adopts an inherited descriptor (init's side).</summary>
    public static SyncSocket FromDescriptor(int fd) => new(new SafeFd(fd));

    public void Send(SyncMessage message)
    {
        byte[] bytes = message.Encode();
        if (bytes.Length > MaxMessage)
        {
            throw new InvalidOperationException($"sync message of {bytes.Length} bytes exceeds the {MaxMessage}-byte limit");
        }
        Syscalls.Send(_socket, bytes, (nuint)bytes.Length, MessageFlags.NoSignal);
    }

    /// <summary>Waits for the next message; null when the peer closed its end (or died).</summary>
    public SyncMessage? Receive(TimeSpan? timeout = null)
    {
        if (timeout is { } t && Syscalls.PollOne(_socket, PollEvents.In, (int)Math.Min(int.MaxValue, (long)t.TotalMilliseconds)) == PollEvents.None)
        {
            throw new TimeoutException($"no message from the other side within {t.TotalSeconds:0.#} s");
        }

        return Receive(_socket);
    }

    /// <summary>One whole message from a SEQPACKET socket (sized first with MSG_PEEK|MSG_TRUNC); null at end of stream.</summary>
    public static SyncMessage? Receive(SafeFd socket)
    {
        Span<byte> probe = stackalloc byte[1];
        int length = (int)Syscalls.Recv(socket, probe, 1, MessageFlags.Peek | MessageFlags.Truncated);
        if (length == 0)
        {
            return null;
        }
        byte[] buffer = new byte[Math.Min(length, MaxMessage)];
        int n = (int)Syscalls.Recv(socket, buffer, (nuint)buffer.Length, MessageFlags.None);
        return n == 0 ? null : SyncMessage.Decode(buffer.AsSpan(0, n));
    }

    public void Dispose() => _socket.Dispose();
}
