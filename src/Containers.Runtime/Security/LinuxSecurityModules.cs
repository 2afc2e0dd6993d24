namespace Containers.Runtime.Security;

/// <summary>What to do with an AppArmor profile or SELinux label: apply it, or skip it and say why.</summary>
public sealed record LsmDecision(bool Apply, string? SkipReason)
{
    public static readonly LsmDecision Nothing = new(false, null);
}

/// <summary>
/// AppArmor profiles and SELinux labels for the container's process: written to
/// /proc/thread-self/attr/… just before execve when the host runs that module, skipped with a
/// clear reason when it does not (no kernel here has either; the decision is tested).
/// </summary>
public static class LinuxSecurityModules
{
    public static LsmDecision AppArmor(string? profile, string sysRoot = "/sys")
    {
        if (string.IsNullOrEmpty(profile))
        {
            return LsmDecision.Nothing;
        }
        bool enabled = File.Exists(Path.Join(sysRoot, "module/apparmor/parameters/enabled"))
                       && File.ReadAllText(Path.Join(sysRoot, "module/apparmor/parameters/enabled")).Trim() == "Y";
        return enabled
            ? new LsmDecision(true, null)
            : new LsmDecision(false, $"process.apparmorProfile \"{profile}\" not applied: AppArmor is not enabled in this kernel");
    }

    public static LsmDecision SELinux(string? label, string sysRoot = "/sys")
    {
        if (string.IsNullOrEmpty(label))
        {
            return LsmDecision.Nothing;
        }
        return File.Exists(Path.Join(sysRoot, "fs/selinux/enforce"))
            ? new LsmDecision(true, null)
            : new LsmDecision(false, $"process.selinuxLabel \"{label}\" not applied: SELinux is not enabled in this kernel");
    }

    /// <summary>Applies what the host supports; returns the warnings for what it skipped.</summary>
    public static IReadOnlyList<string> ApplyForExec(string? apparmorProfile, string? selinuxLabel)
    {
        var warnings = new List<string>();
        LsmDecision apparmor = AppArmor(apparmorProfile);
        if (apparmor.Apply)
        {
            // The "exec" attribute takes effect at the next execve, like aa_change_onexec(3).
            string attr = Directory.Exists("/proc/thread-self/attr/apparmor") ? "/proc/thread-self/attr/apparmor/exec" : "/proc/thread-self/attr/exec";
            File.WriteAllText(attr, "exec " + apparmorProfile);
        }
        else if (apparmor.SkipReason is not null)
        {
            warnings.Add(apparmor.SkipReason);
        }

        LsmDecision selinux = SELinux(selinuxLabel);
        if (selinux.Apply)
        {
            File.WriteAllText("/proc/thread-self/attr/exec", selinuxLabel);
        }
        else if (selinux.SkipReason is not null)
        {
            warnings.Add(selinux.SkipReason);
        }
        return warnings;
    }
}
