using System.Buffers.Binary;

namespace Containers.Runtime.Cgroups;

/// <summary>One eBPF instruction (struct bpf_insn): opcode, dst/src registers, offset, immediate.</summary>
public readonly record struct BpfInstruction(byte Opcode, byte Dst, byte Src, short Offset, int Immediate)
{
    public void WriteTo(Span<byte> destination)
    {
        destination[0] = Opcode;
        destination[1] = (byte)((Src << 4) | (Dst & 0x0f));
        BinaryPrimitives.WriteInt16LittleEndian(destination[2..], Offset);
        BinaryPrimitives.WriteInt32LittleEndian(destination[4..], Immediate);
    }
}

/// <summary>
/// Assembles the BPF_PROG_TYPE_CGROUP_DEVICE program that enforces device rules on cgroup v2
/// (what runc's devicefilter and crun's ebpf.c emit). The program reads struct
/// bpf_cgroup_dev_ctx { u32 access_type (access &lt;&lt; 16 | type); u32 major; u32 minor; }, tries the
/// rules from the last to the first (the last matching rule wins), and returns 1 to allow, 0 to deny.
/// </summary>
public static class DeviceFilterProgram
{
    private const byte LdxMemW = 0x61;   // BPF_LDX | BPF_MEM | BPF_W
    private const byte And32Imm = 0x54;  // BPF_ALU | BPF_AND | BPF_K
    private const byte Rsh32Imm = 0x74;  // BPF_ALU | BPF_RSH | BPF_K
    private const byte Mov32Reg = 0xbc;  // BPF_ALU | BPF_MOV | BPF_X
    private const byte Mov32Imm = 0xb4;  // BPF_ALU | BPF_MOV | BPF_K
    private const byte JneImm = 0x55;    // BPF_JMP | BPF_JNE | BPF_K
    private const byte JneReg = 0x5d;    // BPF_JMP | BPF_JNE | BPF_X
    private const byte Exit = 0x95;      // BPF_JMP | BPF_EXIT

    // include/uapi/linux/bpf.h
    private const int DevBlock = 1;
    private const int DevChar = 2;
    private const int AccMknod = 1;
    private const int AccRead = 2;
    private const int AccWrite = 4;

    public static IReadOnlyList<BpfInstruction> Assemble(CgroupDeviceRules rules)
    {
        var program = new List<BpfInstruction>
        {
            // r2 = type, r3 = access, r4 = major, r5 = minor
            new(LdxMemW, 2, 1, 0, 0),
            new(And32Imm, 2, 0, 0, 0xffff),
            new(LdxMemW, 3, 1, 0, 0),
            new(Rsh32Imm, 3, 0, 0, 16),
            new(LdxMemW, 4, 1, 4, 0),
            new(LdxMemW, 5, 1, 8, 0),
        };

        for (int i = rules.Rules.Count - 1; i >= 0; i--)
        {
            program.AddRange(Rule(rules.Rules[i]));
        }

        program.Add(new(Mov32Imm, 0, 0, 0, rules.DefaultAllow ? 1 : 0));
        program.Add(new(Exit, 0, 0, 0, 0));
        return program;
    }

    /// <summary>The instructions as the kernel takes them (8 bytes each, little endian).</summary>
    public static byte[] Encode(IReadOnlyList<BpfInstruction> program)
    {
        byte[] bytes = new byte[program.Count * 8];
        for (int i = 0; i < program.Count; i++)
        {
            program[i].WriteTo(bytes.AsSpan(i * 8, 8));
        }

        return bytes;
    }

    private static List<BpfInstruction> Rule(CgroupDeviceRule rule)
    {
        // Each test jumps past the rest of this block when it does not match; offsets are filled in at the end.
        var block = new List<BpfInstruction>();
        var jumps = new List<int>();
        if (rule.Type != 'a')
        {
            jumps.Add(block.Count);
            block.Add(new(JneImm, 2, 0, 0, rule.Type == 'b' ? DevBlock : DevChar));
        }

        int access = (rule.Access.Contains('m', StringComparison.Ordinal) ? AccMknod : 0)
            | (rule.Access.Contains('r', StringComparison.Ordinal) ? AccRead : 0)
            | (rule.Access.Contains('w', StringComparison.Ordinal) ? AccWrite : 0);
        if (access != (AccMknod | AccRead | AccWrite))
        {
            // Matches when every requested access bit is in the rule: (access & allowed) == access.
            block.Add(new(Mov32Reg, 1, 3, 0, 0));
            block.Add(new(And32Imm, 1, 0, 0, access));
            jumps.Add(block.Count);
            block.Add(new(JneReg, 1, 3, 0, 0));
        }

        if (rule.Major is { } major)
        {
            jumps.Add(block.Count);
            block.Add(new(JneImm, 4, 0, 0, checked((int)major)));
        }

        if (rule.Minor is { } minor)
        {
            jumps.Add(block.Count);
            block.Add(new(JneImm, 5, 0, 0, checked((int)minor)));
        }

        block.Add(new(Mov32Imm, 0, 0, 0, rule.Allow ? 1 : 0));
        block.Add(new(Exit, 0, 0, 0, 0));
        foreach (int j in jumps)
        {
            block[j] = block[j] with { Offset = (short)(block.Count - j - 1) };
        }

        return block;
    }
}
