namespace Containers.Runtime.Seccomp;

/// <summary>SECCOMP_FILTER_FLAG_* for seccomp(SECCOMP_SET_MODE_FILTER, flags, prog).</summary>
[Flags]
public enum SeccompFilterFlags : uint
{
    None = 0,
    Tsync = 1 << 0,
    Log = 1 << 1,
    SpecAllow = 1 << 2,
    /// <summary>Set by the runtime, not the config, when a rule uses SCMP_ACT_NOTIFY.</summary>
    NewListener = 1 << 3,
    TsyncEsrch = 1 << 4,
    WaitKillableRecv = 1 << 5,
}

public static class SeccompFilterFlagNames
{
    /// <summary>The flags a config may name (runtime-spec 1.2).</summary>
    public static IReadOnlyDictionary<string, SeccompFilterFlags> ByName { get; } =
        new Dictionary<string, SeccompFilterFlags>(StringComparer.Ordinal)
        {
            ["SECCOMP_FILTER_FLAG_TSYNC"] = SeccompFilterFlags.Tsync,
            ["SECCOMP_FILTER_FLAG_LOG"] = SeccompFilterFlags.Log,
            ["SECCOMP_FILTER_FLAG_SPEC_ALLOW"] = SeccompFilterFlags.SpecAllow,
            ["SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV"] = SeccompFilterFlags.WaitKillableRecv,
        };
}
