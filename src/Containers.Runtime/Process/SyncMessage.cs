using System.Text;

namespace Containers.Runtime.Process;

/// <summary>The messages parent and init exchange over their SOCK_SEQPACKET pair: a type byte, then UTF-8.</summary>
public enum SyncMessageType : byte
{
    /// <summary>parent → init: the <see cref="InitConfig"/> JSON.</summary>
    Config = (byte)'C',
    /// <summary>parent → init (create): init is in its cgroups with their limits set; it may go on.</summary>
    CgroupsPlaced = (byte)'G',
    /// <summary>init → parent: the rootfs is mounted; run prestart and createRuntime hooks now.</summary>
    RunCreateHooks = (byte)'H',
    /// <summary>parent → init: those hooks ran.</summary>
    CreateHooksDone = (byte)'h',
    /// <summary>init → parent: set up; now waiting for start.</summary>
    Ready = (byte)'R',
    /// <summary>either way: a failure, "step\nmessage".</summary>
    Error = (byte)'E',
}

public readonly record struct SyncMessage(SyncMessageType Type, string Payload)
{
    public byte[] Encode()
    {
        byte[] bytes = new byte[1 + Encoding.UTF8.GetByteCount(Payload)];
        bytes[0] = (byte)Type;
        Encoding.UTF8.GetBytes(Payload, bytes.AsSpan(1));
        return bytes;
    }

    public static SyncMessage Decode(ReadOnlySpan<byte> bytes) =>
        bytes.Length == 0
            ? throw new InvalidDataException("empty sync message")
            : new SyncMessage((SyncMessageType)bytes[0], Encoding.UTF8.GetString(bytes[1..]));

    public static SyncMessage Failure(string step, string message) => new(SyncMessageType.Error, step + "\n" + message);

    /// <summary>For <see cref="SyncMessageType.Error"/>: the step that failed and why.</summary>
    public (string Step, string Message) AsFailure()
    {
        int newline = Payload.IndexOf('\n');
        return newline < 0 ? ("init", Payload) : (Payload[..newline], Payload[(newline + 1)..]);
    }
}
