using Containers.Runtime.Spec;

namespace Containers.Runtime.Seccomp;

/// <summary>
/// Compiles a config's seccomp section into a classic BPF program with libseccomp's meaning:
/// check the architecture, load the syscall number, try each rule for that number, else the default action.
/// </summary>
/// <remarks>
/// Rules for one syscall are tried in the profile's order and the first whose conditions all hold decides;
/// an unconditional rule supersedes the conditional ones for its syscall (libseccomp merges them so);
/// rules whose action equals the default action are dropped, as runc does. Conditions compare unsigned
/// 64-bit values as two 32-bit halves (only the low half on 32-bit ABIs).
/// </remarks>
public sealed class SeccompCompiler(ISyscallResolver resolver, SeccompCompilerOptions? options = null)
{
    private readonly SeccompCompilerOptions options = options ?? new SeccompCompilerOptions();

    public SeccompProgram Compile(SeccompSpec profile)
    {
        ArgumentNullException.ThrowIfNull(profile);
        var defaultAction = Action("linux.seccomp.defaultAction", profile.DefaultAction, profile.DefaultErrnoRet);
        var (architectures, skipped) = Architectures(profile);
        var unresolved = new List<UnresolvedSyscall>();
        var asm = new BpfAssembler();
        var bodies = architectures.ToDictionary(a => a, _ => asm.NewLabel());
        var badArch = asm.NewLabel();

        EmitDispatch(asm, architectures, bodies, badArch);
        foreach (var arch in architectures)
        {
            asm.Bind(bodies[arch]);
            var groups = Resolve(profile, arch, defaultAction, unresolved);
            EmitArchitecture(asm, arch, groups, defaultAction);
        }

        asm.Bind(badArch);
        asm.Return(options.BadArchitectureAction);

        var program = asm.Assemble();
        if (program.Length > Bpf.MaxInstructions)
        {
            throw new SpecException(new SpecError("linux.seccomp",
                $"the compiled filter has {program.Length} instructions; the kernel allows {Bpf.MaxInstructions}"));
        }

        return new SeccompProgram
        {
            Instructions = program,
            Flags = Flags(profile),
            Architectures = architectures,
            SkippedArchitectures = skipped,
            UnresolvedSyscalls = unresolved,
        };
    }

    private (List<SeccompArchitecture> Included, List<string> Skipped) Architectures(SeccompSpec profile)
    {
        var included = new List<SeccompArchitecture> { options.NativeArchitecture };
        var skipped = new List<string>();
        var names = profile.Architectures ?? [];
        for (var i = 0; i < names.Count; i++)
        {
            var arch = SeccompArchitecture.FromName(names[i] ?? "")
                ?? throw new SpecException(new SpecError($"linux.seccomp.architectures[{i}]", $"unknown architecture \"{names[i]}\""));
            if (included.Contains(arch) || skipped.Contains(arch.Name))
            {
                continue;
            }

            if (resolver.Supports(arch))
            {
                included.Add(arch);
            }
            else
            {
                skipped.Add(arch.Name);
            }
        }

        return (included, skipped);
    }

    /// <summary>Jumps to the body of the architecture the caller runs as; x86_64 and x32 share AUDIT_ARCH and differ by bit 30 of nr.</summary>
    private static void EmitDispatch(BpfAssembler asm, List<SeccompArchitecture> architectures,
        Dictionary<SeccompArchitecture, BpfAssembler.Label> bodies, BpfAssembler.Label badArch)
    {
        asm.LoadAbsolute(Bpf.OffsetArch);
        var sharedAudit = new Dictionary<uint, BpfAssembler.Label>();
        foreach (var auditArch in architectures.Select(a => a.AuditArch).Distinct())
        {
            var members = architectures.Where(a => a.AuditArch == auditArch).ToList();
            var target = members.Count == 1 && members[0] != SeccompArchitecture.X86_64 && members[0] != SeccompArchitecture.X32
                ? bodies[members[0]]
                : sharedAudit[auditArch] = asm.NewLabel();
            asm.Jump(Bpf.Jeq, auditArch, target, null);
        }

        asm.Goto(badArch);
        foreach (var (auditArch, label) in sharedAudit)
        {
            asm.Bind(label);
            var x86_64 = architectures.Contains(SeccompArchitecture.X86_64) ? bodies[SeccompArchitecture.X86_64] : badArch;
            var x32 = architectures.Contains(SeccompArchitecture.X32) ? bodies[SeccompArchitecture.X32] : badArch;
            asm.LoadAbsolute(Bpf.OffsetNr);
            asm.Jump(Bpf.Jge, SeccompArchitecture.X32SyscallBit, x32, x86_64);
        }
    }

    private static void EmitArchitecture(BpfAssembler asm, SeccompArchitecture arch, List<SyscallGroup> groups, uint defaultAction)
    {
        asm.LoadAbsolute(Bpf.OffsetNr);
        foreach (var group in groups)
        {
            var nextSyscall = asm.NewLabel();
            asm.Jump(Bpf.Jeq, unchecked((uint)group.Number), null, nextSyscall);
            foreach (var rule in group.Rules)
            {
                var nextRule = asm.NewLabel();
                foreach (var condition in rule.Conditions)
                {
                    ArgumentComparison.Emit(asm, arch, condition, nextRule);
                }

                asm.Return(rule.Action);
                asm.Bind(nextRule);
                if (rule.Conditions.Count == 0)
                {
                    break;
                }
            }

            if (group.Rules[^1].Conditions.Count > 0)
            {
                asm.Return(defaultAction);
            }

            asm.Bind(nextSyscall);
        }

        asm.Return(defaultAction);
    }

    private sealed record CompiledRule(uint Action, IReadOnlyList<ArgumentCondition> Conditions);

    private sealed record SyscallGroup(int Number, List<CompiledRule> Rules);

    private List<SyscallGroup> Resolve(SeccompSpec profile, SeccompArchitecture arch, uint defaultAction, List<UnresolvedSyscall> unresolved)
    {
        var groups = new List<SyscallGroup>();
        var byNumber = new Dictionary<int, SyscallGroup>();
        var rules = profile.Syscalls ?? [];
        for (var i = 0; i < rules.Count; i++)
        {
            var path = $"linux.seccomp.syscalls[{i}]";
            var rule = rules[i] ?? throw new SpecException(new SpecError(path, "must be an object, not null"));
            var action = Action(path + ".action", rule.Action, rule.ErrnoRet);
            if (action == defaultAction)
            {
                continue;
            }

            var conditions = Conditions(path, rule.Args);
            foreach (var name in rule.Names ?? [])
            {
                if (name is null || resolver.Resolve(name, arch) is not { } number)
                {
                    unresolved.Add(new UnresolvedSyscall(name ?? "", arch.Name));
                    continue;
                }

                if (!byNumber.TryGetValue(number, out var group))
                {
                    byNumber[number] = group = new SyscallGroup(number, []);
                    groups.Add(group);
                }

                group.Rules.Add(new CompiledRule(action, conditions));
            }
        }

        foreach (var group in groups)
        {
            // An unconditional rule wins over conditional ones for the same call, whatever the order.
            var unconditional = group.Rules.FirstOrDefault(r => r.Conditions.Count == 0);
            if (unconditional is not null)
            {
                group.Rules.Clear();
                group.Rules.Add(unconditional);
            }
        }

        return groups;
    }

    private static List<ArgumentCondition> Conditions(string path, IReadOnlyList<SeccompArgSpec>? args)
    {
        var conditions = new List<ArgumentCondition>();
        for (var k = 0; k < (args?.Count ?? 0); k++)
        {
            var arg = args![k] ?? throw new SpecException(new SpecError($"{path}.args[{k}]", "must be an object, not null"));
            if (arg.Index >= SeccompOperators.MaxArguments)
            {
                throw new SpecException(new SpecError($"{path}.args[{k}].index", $"{arg.Index} is outside 0..5"));
            }

            if (arg.Op is null || !SeccompOperators.ByName.TryGetValue(arg.Op, out var op))
            {
                throw new SpecException(new SpecError($"{path}.args[{k}].op", $"unknown operator \"{arg.Op}\""));
            }

            conditions.Add(new ArgumentCondition((int)arg.Index, op, arg.Value, arg.ValueTwo ?? 0));
        }

        return conditions;
    }

    private static uint Action(string path, string? name, uint? errnoRet)
    {
        if (name is null || !SeccompActions.ByName.ContainsKey(name))
        {
            throw new SpecException(new SpecError(path, $"unknown action \"{name}\""));
        }

        return SeccompActions.Encode(name, errnoRet);
    }

    private static SeccompFilterFlags Flags(SeccompSpec profile)
    {
        var flags = SeccompFilterFlags.None;
        for (var i = 0; i < (profile.Flags?.Count ?? 0); i++)
        {
            if (profile.Flags![i] is not { } name || !SeccompFilterFlagNames.ByName.TryGetValue(name, out var flag))
            {
                throw new SpecException(new SpecError($"linux.seccomp.flags[{i}]", $"unknown flag \"{profile.Flags[i]}\""));
            }

            flags |= flag;
        }

        if (profile.Syscalls?.Any(s => s?.Action == "SCMP_ACT_NOTIFY") == true)
        {
            flags |= SeccompFilterFlags.NewListener;
        }

        return flags;
    }
}
