namespace Containers.Runtime.Spec;

public static partial class SpecValidator
{
    private sealed partial class Checks
    {
        public void Process()
        {
            var p = spec.Process;
            if (p is null)
            {
                Fail("process", "required");
                return;
            }

            if (p.Args is not { Count: > 0 })
            {
                Fail("process.args", "must not be empty");
            }
            else
            {
                StringList("process.args", p.Args);
                if (p.Args[0] is "")
                {
                    Fail("process.args[0]", "must not be empty");
                }
            }

            if (string.IsNullOrEmpty(p.Cwd))
            {
                Fail("process.cwd", "required");
            }
            else if (!IsAbsolute(p.Cwd))
            {
                Fail("process.cwd", $"{Quote(p.Cwd)} must be an absolute path");
            }

            EnvList("process.env", p.Env);
            if (p.User?.Umask is > 0b111_111_111)
            {
                Fail("process.user.umask", $"{p.User.Umask} is larger than 0777 (511)");
            }

            if (p.ConsoleSize is not null && p.Terminal != true)
            {
                Fail("process.consoleSize", "needs process.terminal to be true");
            }

            Capabilities(p.Capabilities);
            Rlimits(p.Rlimits);
            if (p.OomScoreAdj is < -1000 or > 1000)
            {
                Fail("process.oomScoreAdj", $"{p.OomScoreAdj} is outside -1000..1000");
            }

            IoPriority(p.IoPriority);
            Scheduler(p.Scheduler);
        }

        private void Capabilities(CapabilitiesSpec? caps)
        {
            if (caps is null)
            {
                return;
            }

            CapabilitySet("process.capabilities.bounding", caps.Bounding);
            CapabilitySet("process.capabilities.effective", caps.Effective);
            CapabilitySet("process.capabilities.inheritable", caps.Inheritable);
            CapabilitySet("process.capabilities.permitted", caps.Permitted);
            CapabilitySet("process.capabilities.ambient", caps.Ambient);
        }

        private void CapabilitySet(string path, IReadOnlyList<string>? names)
        {
            for (var i = 0; i < (names?.Count ?? 0); i++)
            {
                var name = names![i];
                var number = name is null ? -1 : KnownNames.CapabilityNumber(name);
                if (number < 0)
                {
                    Fail($"{path}[{i}]", $"unknown capability {Quote(name)}");
                }
                else if (number > options.CapLastCap)
                {
                    Fail($"{path}[{i}]", $"{Quote(name)} is not supported by this kernel (cap_last_cap is {options.CapLastCap})");
                }
            }
        }

        private void Rlimits(IReadOnlyList<RlimitSpec>? rlimits)
        {
            var seen = new HashSet<string>(StringComparer.Ordinal);
            for (var i = 0; i < (rlimits?.Count ?? 0); i++)
            {
                var path = $"process.rlimits[{i}]";
                var r = rlimits![i];
                if (r is null)
                {
                    Fail(path, "must be an object, not null");
                    continue;
                }

                if (r.Type is null || !KnownNames.Rlimits.ContainsKey(r.Type))
                {
                    Fail(path + ".type", $"unknown rlimit {Quote(r.Type)}");
                }
                else if (!seen.Add(r.Type))
                {
                    Fail(path, $"duplicate rlimit {Quote(r.Type)}");
                }

                if (r.Soft > r.Hard)
                {
                    Fail(path, $"soft limit {r.Soft} is larger than hard limit {r.Hard}");
                }
            }
        }

        private void IoPriority(IoPrioritySpec? io)
        {
            if (io is null)
            {
                return;
            }

            if (io.Class is null || !KnownNames.IoPriorityClasses.Contains(io.Class))
            {
                Fail("process.ioPriority.class", $"unknown class {Quote(io.Class)}");
            }

            if (io.Priority is < 0 or > 7)
            {
                Fail("process.ioPriority.priority", $"{io.Priority} is outside 0..7");
            }
        }

        private void Scheduler(SchedulerSpec? s)
        {
            if (s is null)
            {
                return;
            }

            if (s.Policy is null || !KnownNames.SchedulerPolicies.Contains(s.Policy))
            {
                Fail("process.scheduler.policy", $"unknown policy {Quote(s.Policy)}");
            }

            if (s.Nice is < -20 or > 19)
            {
                Fail("process.scheduler.nice", $"{s.Nice} is outside -20..19");
            }

            for (var i = 0; i < (s.Flags?.Count ?? 0); i++)
            {
                if (s.Flags![i] is not { } flag || !KnownNames.SchedulerFlags.Contains(flag))
                {
                    Fail($"process.scheduler.flags[{i}]", $"unknown flag {Quote(s.Flags[i])}");
                }
            }

            var realtime = s.Policy is "SCHED_FIFO" or "SCHED_RR";
            if (s.Priority is { } prio && (realtime ? prio is < 1 or > 99 : prio != 0))
            {
                Fail("process.scheduler.priority", realtime ? $"{prio} is outside 1..99" : $"must be 0 for {s.Policy}");
            }

            if (s.Policy == "SCHED_DEADLINE" && (s.Runtime is null or 0 || s.Deadline is null || s.Runtime > s.Deadline))
            {
                Fail("process.scheduler", "SCHED_DEADLINE needs runtime > 0 and runtime <= deadline");
            }
        }
    }
}
