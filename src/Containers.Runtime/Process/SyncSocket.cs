using System.Net.Sockets;

namespace Containers.Runtime.Process;

/// <summary>One end of the parent↔init channel (SOCK_SEQPACKET: each send is one message).</summary>
public sealed class SyncSocket : IDisposable
{
    // Large enough for config.json with a full seccomp profile; SEQPACKET truncates longer messages,
    // so the sender checks the size.
    public const int MaxMessage = 1 << 20;
    private readonly Socket _socket;
    private readonly byte[] _buffer = new byte[MaxMessage];

    public SyncSocket(Socket socket) => _socket = socket;

    /// <summary>Adopts an inherited descriptor (init's side).</summary>
    public static SyncSocket FromDescriptor(int fd) => new(new Socket(new SafeSocketHandle(fd, ownsHandle: true)));

    public void Send(SyncMessage message)
    {
        byte[] bytes = message.Encode();
        if (bytes.Length > MaxMessage)
        {
            throw new InvalidOperationException($"sync message of {bytes.Length} bytes exceeds the {MaxMessage}-byte limit");
        }
        _socket.Send(bytes);
    }

    /// <summary>Waits for the next message; null when the peer closed its end (or died).</summary>
    public SyncMessage? Receive(TimeSpan? timeout = null)
    {
        if (timeout is { } t && !_socket.Poll(t, SelectMode.SelectRead))
        {
            throw new TimeoutException($"no message from the other side within {t.TotalSeconds:0.#} s");
        }

        int n = _socket.Receive(_buffer);
        return n == 0 ? null : SyncMessage.Decode(_buffer.AsSpan(0, n));
    }

    public void Dispose() => _socket.Dispose();
}
