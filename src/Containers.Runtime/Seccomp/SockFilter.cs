using System.Runtime.InteropServices;

namespace Containers.Runtime.Seccomp;

/// <summary>One classic BPF instruction, laid out as the kernel's struct sock_filter (8 bytes).</summary>
[StructLayout(LayoutKind.Sequential)]
public readonly record struct SockFilter(ushort Code, byte Jt, byte Jf, uint K)
{
    public override string ToString() => $"{{ 0x{Code:x2}, {Jt}, {Jf}, 0x{K:x8} }}";
}

/// <summary>Classic BPF opcodes (linux/filter.h) that seccomp filters use.</summary>
public static class Bpf
{
    public const ushort Ld = 0x00, Alu = 0x04, Jmp = 0x05, Ret = 0x06;
    public const ushort W = 0x00, Abs = 0x20, K = 0x00;
    public const ushort And = 0x50;
    public const ushort Ja = 0x00, Jeq = 0x10, Jgt = 0x20, Jge = 0x30, Jset = 0x40;

    /// <summary>BPF_MAXINSNS: the kernel refuses longer programs.</summary>
    public const int MaxInstructions = 4096;

    /// <summary>offsetof(struct seccomp_data, nr / arch / args).</summary>
    public const uint OffsetNr = 0, OffsetArch = 4, OffsetArgs = 16;
}
