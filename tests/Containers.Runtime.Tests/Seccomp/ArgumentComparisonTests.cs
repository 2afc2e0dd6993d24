using Containers.Runtime.Seccomp;

namespace Containers.Runtime.Tests.Seccomp;

/// <summary>Every operator against a reference over values chosen to differ in the high half, the low half, or both.</summary>
public class ArgumentComparisonTests
{
    private static readonly ulong[] Values =
    [
        0, 1, 2, 0x7fffffff, 0x80000000, 0xffffffff, 0x1_0000_0000, 0x1_0000_0001, 0x1_ffff_ffff, 0x2_0000_0000,
        0x7fff_ffff_ffff_ffff, 0x8000_0000_0000_0000, 0xffff_ffff_0000_0000, 0xffff_ffff_ffff_fffe, ulong.MaxValue,
    ];

    public static TheoryData<string> Operators() => new(SeccompOperators.ByName.Keys);

    [Theory]
    [MemberData(nameof(Operators))]
    public void Matches_unsigned_64_bit_semantics(string op)
    {
        foreach (var datum in Values)
        {
            foreach (var two in op == "SCMP_CMP_MASKED_EQ" ? Values : [0UL])
            {
                var program = new SeccompCompiler(SeccompCompilerTests.Resolver,
                    new SeccompCompilerOptions { NativeArchitecture = SeccompArchitecture.X86_64 }).Compile(new()
                {
                    DefaultAction = "SCMP_ACT_ERRNO",
                    Syscalls = [new() { Names = ["kill"], Action = "SCMP_ACT_ALLOW", Args = [new() { Index = 2, Op = op, Value = datum, ValueTwo = two }] }],
                });
                foreach (var arg in Values)
                {
                    var expected = Reference(op, arg, datum, two);
                    var actual = BpfInterpreter.Run(program.Instructions, new SeccompData(62, 0xC000003E, 0, 0, arg)) == SeccompActions.Allow;
                    Assert.True(expected == actual, $"{op}: arg 0x{arg:x} value 0x{datum:x} valueTwo 0x{two:x}: expected {expected}");
                }
            }
        }
    }

    private static bool Reference(string op, ulong arg, ulong value, ulong two) => op switch
    {
        "SCMP_CMP_NE" => arg != value,
        "SCMP_CMP_LT" => arg < value,
        "SCMP_CMP_LE" => arg <= value,
        "SCMP_CMP_EQ" => arg == value,
        "SCMP_CMP_GE" => arg >= value,
        "SCMP_CMP_GT" => arg > value,
        "SCMP_CMP_MASKED_EQ" => (arg & value) == two,
        _ => throw new ArgumentException(op),
    };
}
