using Containers.Runtime.Seccomp;
using Containers.Runtime.Spec;

namespace Containers.Runtime.Tests.Seccomp;

public class SeccompCompilerTests
{
    private const uint X86_64 = 0xC000003E;
    private const uint Eperm = SeccompActions.Errno | 1;

    /// <summary>A tiny table so tests do not depend on the real one.</summary>
    private static readonly Dictionary<string, int> Numbers = new()
    {
        ["read"] = 0, ["write"] = 1, ["mount"] = 165, ["clone"] = 56, ["personality"] = 135, ["kill"] = 62,
        ["socket"] = 41, ["clone3"] = 435,
    };

    internal static readonly ISyscallResolver Resolver = new DelegateSyscallResolver(
        (name, arch) => Numbers.TryGetValue(name, out var n)
            ? (arch == SeccompArchitecture.Aarch64 ? n + 1000 : arch == SeccompArchitecture.X32 ? n | 0x40000000 : n)
            : null,
        SeccompArchitecture.X86_64, SeccompArchitecture.Aarch64, SeccompArchitecture.X32);

    private static SeccompProgram Compile(SeccompSpec profile, ISyscallResolver? resolver = null) =>
        new SeccompCompiler(resolver ?? Resolver, new SeccompCompilerOptions { NativeArchitecture = SeccompArchitecture.X86_64 })
            .Compile(profile);

    private static uint Run(SeccompProgram program, int nr, params ulong[] args) =>
        BpfInterpreter.Run(program.Instructions, new SeccompData(nr, X86_64, args));

    private static SeccompSyscallSpec Rule(string action, params string[] names) => new() { Names = names, Action = action };

    private static SeccompArgSpec Arg(uint index, string op, ulong value, ulong? two = null) =>
        new() { Index = index, Op = op, Value = value, ValueTwo = two };

    [Fact]
    public void Allowed_call_and_default_action()
    {
        var program = Compile(new SeccompSpec { DefaultAction = "SCMP_ACT_ERRNO", Syscalls = [Rule("SCMP_ACT_ALLOW", "read", "write")] });
        BpfInterpreter.AssertWellFormed(program.Instructions);
        Assert.Equal(SeccompActions.Allow, Run(program, 0));
        Assert.Equal(SeccompActions.Allow, Run(program, 1));
        Assert.Equal(Eperm, Run(program, 165));
    }

    [Theory]
    [InlineData("SCMP_ACT_KILL", null, 0x00000000u)]
    [InlineData("SCMP_ACT_KILL_THREAD", null, 0x00000000u)]
    [InlineData("SCMP_ACT_KILL_PROCESS", null, 0x80000000u)]
    [InlineData("SCMP_ACT_TRAP", null, 0x00030000u)]
    [InlineData("SCMP_ACT_ERRNO", null, 0x00050001u)]
    [InlineData("SCMP_ACT_ERRNO", 38u, 0x00050026u)]
    [InlineData("SCMP_ACT_TRACE", 7u, 0x7ff00007u)]
    [InlineData("SCMP_ACT_LOG", null, 0x7ffc0000u)]
    [InlineData("SCMP_ACT_NOTIFY", null, 0x7fc00000u)]
    public void Actions_encode_as_the_kernel_defines(string action, uint? errnoRet, uint expected)
    {
        var program = Compile(new SeccompSpec
        {
            DefaultAction = "SCMP_ACT_ALLOW",
            Syscalls = [new SeccompSyscallSpec { Names = ["mount"], Action = action, ErrnoRet = errnoRet }],
        });
        Assert.Equal(expected, Run(program, 165));
        Assert.Equal(SeccompActions.Allow, Run(program, 0));
    }

    [Fact]
    public void Default_errno_ret_applies_to_the_default_action()
    {
        var program = Compile(new SeccompSpec { DefaultAction = "SCMP_ACT_ERRNO", DefaultErrnoRet = 38 });
        Assert.Equal(SeccompActions.Errno | 38, Run(program, 0));
    }

    [Fact]
    public void Clone_namespace_flags_are_refused_by_a_masked_condition()
    {
        var program = Compile(new SeccompSpec
        {
            DefaultAction = "SCMP_ACT_ERRNO",
            Syscalls = [new() { Names = ["clone"], Action = "SCMP_ACT_ALLOW", Args = [Arg(0, "SCMP_CMP_MASKED_EQ", 0x7E020000, 0)] }],
        });
        const ulong newUser = 0x10000000, threadFlags = 0x3D0F00;
        Assert.Equal(Eperm, Run(program, 56, newUser | threadFlags));
        Assert.Equal(SeccompActions.Allow, Run(program, 56, threadFlags));
        Assert.Equal(SeccompActions.Allow, Run(program, 56, 0x1_0000_0000UL | threadFlags));
    }

    [Fact]
    public void Foreign_architecture_and_x32_calls_get_the_bad_arch_action()
    {
        var program = Compile(new SeccompSpec { DefaultAction = "SCMP_ACT_ALLOW" });
        Assert.Equal(SeccompActions.KillProcess, BpfInterpreter.Run(program.Instructions, new SeccompData(0, 0x40000003)));
        Assert.Equal(SeccompActions.KillProcess, BpfInterpreter.Run(program.Instructions, new SeccompData(0x40000000, X86_64)));
        Assert.Equal(SeccompActions.Allow, BpfInterpreter.Run(program.Instructions, new SeccompData(0, X86_64)));
    }

    [Fact]
    public void Listed_architectures_get_their_own_numbers()
    {
        var program = Compile(new SeccompSpec
        {
            DefaultAction = "SCMP_ACT_ERRNO",
            Architectures = ["SCMP_ARCH_X86_64", "SCMP_ARCH_X32", "SCMP_ARCH_AARCH64", "SCMP_ARCH_X86"],
            Syscalls = [Rule("SCMP_ACT_ALLOW", "read")],
        });
        Assert.Equal(["SCMP_ARCH_X86_64", "SCMP_ARCH_X32", "SCMP_ARCH_AARCH64"], program.Architectures.Select(a => a.Name));
        Assert.Equal(["SCMP_ARCH_X86"], program.SkippedArchitectures);
        Assert.Equal(SeccompActions.Allow, BpfInterpreter.Run(program.Instructions, new SeccompData(1000, 0xC00000B7)));
        Assert.Equal(Eperm, BpfInterpreter.Run(program.Instructions, new SeccompData(0, 0xC00000B7)));
        Assert.Equal(SeccompActions.Allow, BpfInterpreter.Run(program.Instructions, new SeccompData(0x40000000, X86_64)));
        Assert.Equal(Eperm, BpfInterpreter.Run(program.Instructions, new SeccompData(0x40000001, X86_64)));
        Assert.Equal(SeccompActions.KillProcess, BpfInterpreter.Run(program.Instructions, new SeccompData(0, 0x40000003)));
    }

    [Fact]
    public void Unknown_names_are_skipped_and_reported()
    {
        var program = Compile(new SeccompSpec { DefaultAction = "SCMP_ACT_ERRNO", Syscalls = [Rule("SCMP_ACT_ALLOW", "read", "no_such_call")] });
        Assert.Equal(new UnresolvedSyscall("no_such_call", "SCMP_ARCH_X86_64"), Assert.Single(program.UnresolvedSyscalls));
        Assert.Equal(SeccompActions.Allow, Run(program, 0));
    }

    [Fact]
    public void Conditions_of_a_rule_are_anded_and_rules_are_ored()
    {
        var program = Compile(new SeccompSpec
        {
            DefaultAction = "SCMP_ACT_ERRNO",
            Syscalls =
            [
                new() { Names = ["kill"], Action = "SCMP_ACT_ALLOW", Args = [Arg(0, "SCMP_CMP_EQ", 1), Arg(1, "SCMP_CMP_EQ", 9)] },
                new() { Names = ["kill"], Action = "SCMP_ACT_LOG", Args = [Arg(1, "SCMP_CMP_EQ", 15)] },
            ],
        });
        Assert.Equal(SeccompActions.Allow, Run(program, 62, 1, 9));
        Assert.Equal(Eperm, Run(program, 62, 2, 9));
        Assert.Equal(Eperm, Run(program, 62, 1, 8));
        Assert.Equal(SeccompActions.Log, Run(program, 62, 2, 15));
    }

    [Fact]
    public void An_unconditional_rule_wins_over_conditional_ones()
    {
        var program = Compile(new SeccompSpec
        {
            DefaultAction = "SCMP_ACT_ERRNO",
            Syscalls =
            [
                new() { Names = ["kill"], Action = "SCMP_ACT_LOG", Args = [Arg(0, "SCMP_CMP_EQ", 1)] },
                Rule("SCMP_ACT_ALLOW", "kill"),
            ],
        });
        Assert.Equal(SeccompActions.Allow, Run(program, 62, 1));
    }

    [Fact]
    public void Flags_are_exposed_and_notify_asks_for_a_listener()
    {
        var program = Compile(new SeccompSpec
        {
            DefaultAction = "SCMP_ACT_ALLOW",
            Flags = ["SECCOMP_FILTER_FLAG_TSYNC", "SECCOMP_FILTER_FLAG_SPEC_ALLOW"],
            Syscalls = [Rule("SCMP_ACT_NOTIFY", "mount")],
        });
        Assert.Equal(SeccompFilterFlags.Tsync | SeccompFilterFlags.SpecAllow | SeccompFilterFlags.NewListener, program.Flags);
        Assert.True(program.NeedsListener);
    }

    [Fact]
    public void Invalid_profiles_fail_with_the_path()
    {
        var e = Assert.Throws<SpecException>(() => Compile(new SeccompSpec
        {
            DefaultAction = "SCMP_ACT_ERRNO",
            Syscalls = [new() { Names = ["kill"], Action = "SCMP_ACT_ALLOW", Args = [Arg(0, "SCMP_CMP_NOPE", 1)] }],
        }));
        Assert.Equal("linux.seccomp.syscalls[0].args[0].op: unknown operator \"SCMP_CMP_NOPE\"", e.Message);
    }

    [Fact]
    public void Long_rule_lists_need_trampolines_and_stay_correct()
    {
        // 400 conditional rules for kill: the jump from its number check past them is far beyond 255.
        var rules = Enumerable.Range(0, 400)
            .Select(i => new SeccompSyscallSpec { Names = ["kill"], Action = "SCMP_ACT_ALLOW", Args = [Arg(0, "SCMP_CMP_EQ", (ulong)i * 3)] })
            .Append(Rule("SCMP_ACT_LOG", "read"))
            .ToList();
        var program = Compile(new SeccompSpec { DefaultAction = "SCMP_ACT_ERRNO", Syscalls = rules });
        BpfInterpreter.AssertWellFormed(program.Instructions);
        Assert.Contains(program.Instructions, i => i.Code == (Bpf.Jmp | Bpf.Ja));
        Assert.Equal(SeccompActions.Log, Run(program, 0));
        Assert.Equal(SeccompActions.Allow, Run(program, 62, 399 * 3));
        Assert.Equal(Eperm, Run(program, 62, 1));
        Assert.Equal(Eperm, Run(program, 165));
    }
}
