namespace Containers.Runtime.Seccomp;

/// <summary>One resolved argument condition: args[Index] Op Value (MaskedEqual: (arg &amp; Value) == ValueTwo).</summary>
internal sealed record ArgumentCondition(int Index, SeccompOperator Op, ulong Value, ulong ValueTwo);

/// <summary>
/// Emits a 64-bit unsigned comparison as code over the two 32-bit halves of seccomp_data.args[i]
/// (cBPF loads 32 bits at a time). Falls through when the condition holds, jumps to <c>fail</c> otherwise.
/// </summary>
internal static class ArgumentComparison
{
    public static void Emit(BpfAssembler asm, SeccompArchitecture arch, ArgumentCondition c, BpfAssembler.Label fail)
    {
        var argOffset = Bpf.OffsetArgs + (uint)(8 * c.Index);
        var lo = arch.IsBigEndian ? argOffset + 4 : argOffset;
        var hi = arch.IsBigEndian ? argOffset : argOffset + 4;
        var value = c.Op == SeccompOperator.MaskedEqual ? c.ValueTwo : c.Value;
        var vHi = (uint)(value >> 32);
        var vLo = (uint)value;
        var pass = asm.NewLabel();

        // 32-bit ABIs only have the low word (libseccomp compares it alone there).
        var wide = arch.Is64Bit;
        switch (c.Op)
        {
            case SeccompOperator.Equal:
                if (wide)
                {
                    asm.LoadAbsolute(hi);
                    asm.Jump(Bpf.Jeq, vHi, null, fail);
                }

                asm.LoadAbsolute(lo);
                asm.Jump(Bpf.Jeq, vLo, null, fail);
                break;

            case SeccompOperator.NotEqual:
                if (wide)
                {
                    asm.LoadAbsolute(hi);
                    asm.Jump(Bpf.Jeq, vHi, null, pass);
                }

                asm.LoadAbsolute(lo);
                asm.Jump(Bpf.Jeq, vLo, fail, null);
                break;

            case SeccompOperator.MaskedEqual:
                var mask = c.Value;
                if (wide)
                {
                    asm.LoadAbsolute(hi);
                    asm.AndK((uint)(mask >> 32));
                    asm.Jump(Bpf.Jeq, vHi, null, fail);
                }

                asm.LoadAbsolute(lo);
                asm.AndK((uint)mask);
                asm.Jump(Bpf.Jeq, vLo, null, fail);
                break;

            case SeccompOperator.GreaterThan or SeccompOperator.GreaterOrEqual:
                // hi > vHi → pass; hi < vHi → fail; equal → decide on lo.
                if (wide)
                {
                    asm.LoadAbsolute(hi);
                    asm.Jump(Bpf.Jgt, vHi, pass, null);
                    asm.Jump(Bpf.Jeq, vHi, null, fail);
                }

                asm.LoadAbsolute(lo);
                asm.Jump(c.Op == SeccompOperator.GreaterThan ? Bpf.Jgt : Bpf.Jge, vLo, null, fail);
                break;

            case SeccompOperator.LessThan or SeccompOperator.LessOrEqual:
                // hi > vHi → fail; hi < vHi → pass; equal → lo < vLo (not lo >= vLo), lo <= vLo (not lo > vLo).
                if (wide)
                {
                    asm.LoadAbsolute(hi);
                    asm.Jump(Bpf.Jgt, vHi, fail, null);
                    asm.Jump(Bpf.Jeq, vHi, null, pass);
                }

                asm.LoadAbsolute(lo);
                asm.Jump(c.Op == SeccompOperator.LessThan ? Bpf.Jge : Bpf.Jgt, vLo, fail, null);
                break;

            default:
                throw new ArgumentOutOfRangeException(nameof(c), c.Op, "unknown seccomp operator");
        }

        asm.Bind(pass);
    }
}
