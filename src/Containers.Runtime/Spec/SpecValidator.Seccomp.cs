using Containers.Runtime.Seccomp;

namespace Containers.Runtime.Spec;

public static partial class SpecValidator
{
    private sealed partial class Checks
    {
        private void Seccomp(SeccompSpec? s)
        {
            if (s is null)
            {
                return;
            }

            const string at = "linux.seccomp";
            if (s.DefaultAction is null || !SeccompActions.ByName.ContainsKey(s.DefaultAction))
            {
                Fail(at + ".defaultAction", $"unknown action {Quote(s.DefaultAction)}");
            }
            else if (s.DefaultAction == "SCMP_ACT_NOTIFY")
            {
                // Every call, including the ones the runtime still makes before execve, would wait on the listener.
                Fail(at + ".defaultAction", "SCMP_ACT_NOTIFY cannot be the default action");
            }
            else if (s.DefaultErrnoRet is not null && !SeccompActions.TakesErrnoRet(s.DefaultAction))
            {
                Fail(at + ".defaultErrnoRet", $"only valid with SCMP_ACT_ERRNO or SCMP_ACT_TRACE, not {s.DefaultAction}");
            }

            for (var i = 0; i < (s.Architectures?.Count ?? 0); i++)
            {
                if (s.Architectures![i] is not { } arch || SeccompArchitecture.FromName(arch) is null)
                {
                    Fail($"{at}.architectures[{i}]", $"unknown architecture {Quote(s.Architectures[i])}");
                }
            }

            for (var i = 0; i < (s.Flags?.Count ?? 0); i++)
            {
                if (s.Flags![i] is not { } flag || !SeccompFilterFlagNames.ByName.ContainsKey(flag))
                {
                    Fail($"{at}.flags[{i}]", $"unknown flag {Quote(s.Flags[i])}");
                }
            }

            var notifies = false;
            for (var i = 0; i < (s.Syscalls?.Count ?? 0); i++)
            {
                notifies |= SeccompRule($"{at}.syscalls[{i}]", s.Syscalls![i]);
            }

            if (notifies && string.IsNullOrEmpty(s.ListenerPath))
            {
                Fail(at + ".listenerPath", "required when a rule uses SCMP_ACT_NOTIFY");
            }
            else if (!string.IsNullOrEmpty(s.ListenerPath) && !IsAbsolute(s.ListenerPath))
            {
                Fail(at + ".listenerPath", $"{Quote(s.ListenerPath)} must be an absolute path");
            }

            if (!string.IsNullOrEmpty(s.ListenerMetadata) && string.IsNullOrEmpty(s.ListenerPath))
            {
                // runtime-spec: listenerMetadata MUST NOT be set without listenerPath.
                Fail(at + ".listenerMetadata", "only valid with listenerPath");
            }
        }

        /// <summary>Checks one rule; true when it uses SCMP_ACT_NOTIFY.</summary>
        private bool SeccompRule(string path, SeccompSyscallSpec? rule)
        {
            if (rule is null)
            {
                Fail(path, "must be an object, not null");
                return false;
            }

            if (rule.Names is not { Count: > 0 })
            {
                Fail(path + ".names", "must not be empty");
            }
            else
            {
                for (var j = 0; j < rule.Names.Count; j++)
                {
                    if (string.IsNullOrEmpty(rule.Names[j]))
                    {
                        Fail($"{path}.names[{j}]", "must be a syscall name");
                    }
                    else if (rule.Action == "SCMP_ACT_NOTIFY" && rule.Names[j] is "write" or "sendmsg")
                    {
                        // The runtime hands the listener fd over with sendmsg after loading the filter (runc refuses
                        // write too): a notified send would wait for an agent that has no fd yet.
                        Fail($"{path}.names[{j}]", $"{rule.Names[j]} cannot use SCMP_ACT_NOTIFY");
                    }
                }
            }

            if (rule.Action is null || !SeccompActions.ByName.ContainsKey(rule.Action))
            {
                Fail(path + ".action", $"unknown action {Quote(rule.Action)}");
            }
            else if (rule.ErrnoRet is not null && !SeccompActions.TakesErrnoRet(rule.Action))
            {
                Fail(path + ".errnoRet", $"only valid with SCMP_ACT_ERRNO or SCMP_ACT_TRACE, not {rule.Action}");
            }

            var indexes = new HashSet<uint>();
            for (var k = 0; k < (rule.Args?.Count ?? 0); k++)
            {
                var argPath = $"{path}.args[{k}]";
                var arg = rule.Args![k];
                if (arg is null)
                {
                    Fail(argPath, "must be an object, not null");
                    continue;
                }

                if (arg.Index >= SeccompOperators.MaxArguments)
                {
                    Fail(argPath + ".index", $"{arg.Index} is outside 0..{SeccompOperators.MaxArguments - 1}");
                }
                else if (!indexes.Add(arg.Index))
                {
                    // libseccomp refuses two conditions on one argument in one rule.
                    Fail(argPath + ".index", $"argument {arg.Index} is already compared in this rule");
                }

                if (arg.Op is null || !SeccompOperators.ByName.TryGetValue(arg.Op, out var op))
                {
                    Fail(argPath + ".op", $"unknown operator {Quote(arg.Op)}");
                }
                else if (op == SeccompOperator.MaskedEqual && arg.ValueTwo is null)
                {
                    Fail(argPath + ".valueTwo", "required by SCMP_CMP_MASKED_EQ");
                }
            }

            return rule.Action == "SCMP_ACT_NOTIFY";
        }
    }
}
