namespace Containers.Runtime.Seccomp;

/// <summary>
/// Builds a classic BPF program with symbolic forward jumps. Conditional jumps hold 8-bit offsets, so a
/// target more than 255 instructions away is reached through a trampoline: an unconditional <c>ja</c>
/// (32-bit offset) inserted right after the jump. Layout repeats until every offset fits.
/// </summary>
internal sealed class BpfAssembler
{
    private readonly List<Node> nodes = [];
    private int labelCount;

    public sealed class Label
    {
        internal Label(int id) => Id = id;

        internal int Id { get; }
    }

    private abstract record Node;

    private sealed record Mark(Label Label) : Node;

    private sealed record Instruction(ushort Code, uint K, Label? True = null, Label? False = null) : Node
    {
        public bool IsConditional => (Code & 0x07) == Bpf.Jmp && (Code & 0xf0) != Bpf.Ja;

        public bool IsAlways => (Code & 0x07) == Bpf.Jmp && (Code & 0xf0) == Bpf.Ja;
    }

    public Label NewLabel() => new(labelCount++);

    public void Bind(Label label) => nodes.Add(new Mark(label));

    public void LoadAbsolute(uint offset) => nodes.Add(new Instruction((ushort)(Bpf.Ld | Bpf.W | Bpf.Abs), offset));

    public void AndK(uint mask) => nodes.Add(new Instruction((ushort)(Bpf.Alu | Bpf.And | Bpf.K), mask));

    public void Return(uint action) => nodes.Add(new Instruction((ushort)(Bpf.Ret | Bpf.K), action));

    public void Goto(Label target) => nodes.Add(new Instruction((ushort)(Bpf.Jmp | Bpf.Ja), 0, target));

    /// <summary>A conditional jump; a null target means the next instruction.</summary>
    public void Jump(ushort op, uint k, Label? whenTrue, Label? whenFalse)
    {
        var next = whenTrue is null || whenFalse is null ? NewLabel() : null;
        nodes.Add(new Instruction((ushort)(Bpf.Jmp | op | Bpf.K), k, whenTrue ?? next, whenFalse ?? next));
        if (next is not null)
        {
            Bind(next);
        }
    }

    public SockFilter[] Assemble()
    {
        while (true)
        {
            var (positions, labels) = Layout();
            var far = FindFarJump(positions, labels);
            if (far < 0)
            {
                return Emit(positions, labels);
            }

            InsertTrampolines(far, positions, labels);
        }
    }

    private (int[] Positions, int[] Labels) Layout()
    {
        var positions = new int[nodes.Count];
        var labels = new int[labelCount];
        Array.Fill(labels, -1);
        var pc = 0;
        for (var i = 0; i < nodes.Count; i++)
        {
            positions[i] = pc;
            if (nodes[i] is Mark mark)
            {
                labels[mark.Label.Id] = pc;
            }
            else
            {
                pc++;
            }
        }

        return (positions, labels);
    }

    private int FindFarJump(int[] positions, int[] labels)
    {
        for (var i = 0; i < nodes.Count; i++)
        {
            if (nodes[i] is Instruction { IsConditional: true } jump
                && (Offset(jump.True!, positions[i], labels) > byte.MaxValue || Offset(jump.False!, positions[i], labels) > byte.MaxValue))
            {
                return i;
            }
        }

        return -1;
    }

    private void InsertTrampolines(int index, int[] positions, int[] labels)
    {
        var jump = (Instruction)nodes[index];
        var insert = new List<Node>();
        Label Via(Label target)
        {
            if (Offset(target, positions[index], labels) <= byte.MaxValue)
            {
                return target;
            }

            var trampoline = NewLabel();
            insert.Add(new Mark(trampoline));
            insert.Add(new Instruction((ushort)(Bpf.Jmp | Bpf.Ja), 0, target));
            return trampoline;
        }

        var whenTrue = Via(jump.True!);
        var whenFalse = jump.False == jump.True ? whenTrue : Via(jump.False!);
        nodes[index] = jump with { True = whenTrue, False = whenFalse };
        nodes.InsertRange(index + 1, insert);
    }

    private SockFilter[] Emit(int[] positions, int[] labels)
    {
        var program = new List<SockFilter>(nodes.Count);
        for (var i = 0; i < nodes.Count; i++)
        {
            if (nodes[i] is not Instruction ins)
            {
                continue;
            }

            if (ins.IsAlways)
            {
                program.Add(new SockFilter(ins.Code, 0, 0, (uint)Offset(ins.True!, positions[i], labels)));
            }
            else if (ins.IsConditional)
            {
                program.Add(new SockFilter(ins.Code,
                    (byte)Offset(ins.True!, positions[i], labels), (byte)Offset(ins.False!, positions[i], labels), ins.K));
            }
            else
            {
                program.Add(new SockFilter(ins.Code, 0, 0, ins.K));
            }
        }

        return [.. program];
    }

    /// <summary>Instructions skipped when jumping from the instruction at <paramref name="from"/>.</summary>
    private static int Offset(Label target, int from, int[] labels)
    {
        var to = labels[target.Id];
        if (to < 0)
        {
            throw new InvalidOperationException($"BPF label {target.Id} is used but never bound");
        }

        if (to <= from)
        {
            throw new InvalidOperationException($"BPF jump from {from} to {to} is not forward");
        }

        return to - from - 1;
    }
}
