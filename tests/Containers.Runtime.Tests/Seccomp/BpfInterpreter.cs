using System.Buffers.Binary;
using Containers.Runtime.Seccomp;

namespace Containers.Runtime.Tests.Seccomp;

/// <summary>struct seccomp_data as the kernel fills it (little-endian machine).</summary>
internal sealed record SeccompData(int Nr, uint Arch, params ulong[] Args)
{
    public byte[] ToBytes()
    {
        var bytes = new byte[64];
        BinaryPrimitives.WriteInt32LittleEndian(bytes, Nr);
        BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(4), Arch);
        for (var i = 0; i < Args.Length; i++)
        {
            BinaryPrimitives.WriteUInt64LittleEndian(bytes.AsSpan(16 + (8 * i)), Args[i]);
        }

        return bytes;
    }
}

/// <summary>
/// A classic BPF interpreter for the instructions seccomp filters use, strict like the kernel's checker:
/// it refuses unknown opcodes, loads outside seccomp_data and jumps that leave the program.
/// </summary>
internal static class BpfInterpreter
{
    public static uint Run(IReadOnlyList<SockFilter> program, SeccompData data)
    {
        var input = data.ToBytes();
        uint a = 0;
        var pc = 0;
        for (var steps = 0; steps <= program.Count; steps++)
        {
            if (pc < 0 || pc >= program.Count)
            {
                throw new InvalidOperationException($"pc {pc} is outside the program ({program.Count})");
            }

            var ins = program[pc];
            switch (ins.Code)
            {
                case Bpf.Ld | Bpf.W | Bpf.Abs:
                    if (ins.K % 4 != 0 || ins.K + 4 > input.Length)
                    {
                        throw new InvalidOperationException($"load at {ins.K} is outside seccomp_data");
                    }

                    a = BinaryPrimitives.ReadUInt32LittleEndian(input.AsSpan((int)ins.K));
                    pc++;
                    break;
                case Bpf.Alu | Bpf.And | Bpf.K:
                    a &= ins.K;
                    pc++;
                    break;
                case Bpf.Jmp | Bpf.Ja:
                    pc += 1 + (int)ins.K;
                    break;
                case Bpf.Jmp | Bpf.Jeq | Bpf.K:
                    pc += 1 + (a == ins.K ? ins.Jt : ins.Jf);
                    break;
                case Bpf.Jmp | Bpf.Jgt | Bpf.K:
                    pc += 1 + (a > ins.K ? ins.Jt : ins.Jf);
                    break;
                case Bpf.Jmp | Bpf.Jge | Bpf.K:
                    pc += 1 + (a >= ins.K ? ins.Jt : ins.Jf);
                    break;
                case Bpf.Jmp | Bpf.Jset | Bpf.K:
                    pc += 1 + ((a & ins.K) != 0 ? ins.Jt : ins.Jf);
                    break;
                case Bpf.Ret | Bpf.K:
                    return ins.K;
                default:
                    throw new InvalidOperationException($"opcode 0x{ins.Code:x} at {pc} is not supported");
            }
        }

        throw new InvalidOperationException("program did not return");
    }

    /// <summary>What the kernel's checker demands of the layout: length, every jump inside, a return last.</summary>
    public static void AssertWellFormed(IReadOnlyList<SockFilter> program)
    {
        Assert.InRange(program.Count, 1, Bpf.MaxInstructions);
        Assert.Equal(Bpf.Ret | Bpf.K, program[^1].Code);
        for (var pc = 0; pc < program.Count; pc++)
        {
            var ins = program[pc];
            if ((ins.Code & 0x07) != Bpf.Jmp)
            {
                continue;
            }

            if (ins.Code == (Bpf.Jmp | Bpf.Ja))
            {
                Assert.True(pc + 1 + (long)ins.K < program.Count, $"ja at {pc} leaves the program");
            }
            else
            {
                Assert.True(pc + 1 + ins.Jt < program.Count, $"jt at {pc} leaves the program");
                Assert.True(pc + 1 + ins.Jf < program.Count, $"jf at {pc} leaves the program");
            }
        }
    }
}
