using Containers.Cgroups;

namespace Containers.Runtime.Cgroups;

[CgroupFile("devices", "Allow", CgroupValueKind.List, V1 = "devices.allow")]
[CgroupFile("devices", "Deny", CgroupValueKind.List, V1 = "devices.deny")]
[CgroupFile("devices", "List", CgroupValueKind.List, V1 = "devices.list", ReadOnly = true)]
internal static partial class DevicesController
{
    /// <summary>
    /// v1: write the rules in order to devices.allow / devices.deny. A rule list that starts by
    /// denying everything (what OCI bundles carry) first resets the cgroup to deny-all, so the
    /// result is exactly the list whatever the cgroup allowed before.
    /// </summary>
    public static void SetV1(CgroupDirectory dir, IReadOnlyList<CgroupDeviceRule> rules)
    {
        foreach (CgroupDeviceRule rule in rules)
        {
            Validate(rule);
            if (rule.Allow)
            {
                WriteAllow(dir, rule.ToV1Line());
            }
            else
            {
                WriteDeny(dir, rule.ToV1Line());
            }
        }
    }

    /// <summary>
    /// v2 has no device files: access is decided by a BPF_PROG_TYPE_CGROUP_DEVICE program attached
    /// to the cgroup. These are the rules that program must implement, validated and in evaluation
    /// order (last match wins, as in v1), with the default decided by the first wildcard rule.
    /// </summary>
    public static CgroupDeviceRules RulesForV2(IReadOnlyList<CgroupDeviceRule> rules)
    {
        foreach (CgroupDeviceRule rule in rules)
        {
            Validate(rule);
        }

        return CgroupDeviceRules.From(rules);
    }

    private static void Validate(CgroupDeviceRule rule)
    {
        if (rule.Type is not ('a' or 'b' or 'c'))
        {
            throw new ArgumentException($"devices: type '{rule.Type}' must be a, b or c ({rule.ToV1Line()})");
        }

        if (rule.Access.Length == 0 || rule.Access.Any(c => c is not ('r' or 'w' or 'm')) || rule.Access.Distinct().Count() != rule.Access.Length)
        {
            throw new ArgumentException($"devices: access \"{rule.Access}\" must be a non-empty subset of \"rwm\" ({rule.ToV1Line()})");
        }
    }
}

/// <summary>
/// Device rules in the form a cgroup v2 device program evaluates them: a default decision and the
/// ordered exceptions to it (like runc's devices emulator output).
/// </summary>
public sealed record CgroupDeviceRules(bool DefaultAllow, IReadOnlyList<CgroupDeviceRule> Rules)
{
    public static CgroupDeviceRules From(IReadOnlyList<CgroupDeviceRule> rules)
    {
        // A wildcard "a *:* rwm" rule resets everything before it: only what follows matters.
        bool defaultAllow = false;
        int start = 0;
        for (int i = rules.Count - 1; i >= 0; i--)
        {
            CgroupDeviceRule r = rules[i];
            if (r.Type == 'a' && r.Major is null && r.Minor is null && r.Access.Length == 3)
            {
                defaultAllow = r.Allow;
                start = i + 1;
                break;
            }
        }

        List<CgroupDeviceRule> rest = rules.Skip(start).Where(r => r.Allow != defaultAllow).ToList();
        return new CgroupDeviceRules(defaultAllow, rest);
    }

    /// <summary>Whether access (one of r, w, m) to a device is allowed: the last matching rule decides.</summary>
    public bool IsAllowed(char type, long major, long minor, char access)
    {
        for (int i = Rules.Count - 1; i >= 0; i--)
        {
            CgroupDeviceRule r = Rules[i];
            if ((r.Type == 'a' || r.Type == type)
                && (r.Major is null || r.Major == major)
                && (r.Minor is null || r.Minor == minor)
                && r.Access.Contains(access, StringComparison.Ordinal))
            {
                return r.Allow;
            }
        }

        return DefaultAllow;
    }
}
