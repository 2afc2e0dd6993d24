namespace Containers.Runtime.Spec;

/// <summary>The names config.json may use, as the kernel and the spec define them.</summary>
public static class KnownNames
{
    /// <summary>Capabilities by number (linux/capability.h); index = capability number.</summary>
    public static IReadOnlyList<string> Capabilities { get; } =
    [
        "CAP_CHOWN", "CAP_DAC_OVERRIDE", "CAP_DAC_READ_SEARCH", "CAP_FOWNER", "CAP_FSETID",
        "CAP_KILL", "CAP_SETGID", "CAP_SETUID", "CAP_SETPCAP", "CAP_LINUX_IMMUTABLE",
        "CAP_NET_BIND_SERVICE", "CAP_NET_BROADCAST", "CAP_NET_ADMIN", "CAP_NET_RAW", "CAP_IPC_LOCK",
        "CAP_IPC_OWNER", "CAP_SYS_MODULE", "CAP_SYS_RAWIO", "CAP_SYS_CHROOT", "CAP_SYS_PTRACE",
        "CAP_SYS_PACCT", "CAP_SYS_ADMIN", "CAP_SYS_BOOT", "CAP_SYS_NICE", "CAP_SYS_RESOURCE",
        "CAP_SYS_TIME", "CAP_SYS_TTY_CONFIG", "CAP_MKNOD", "CAP_LEASE", "CAP_AUDIT_WRITE",
        "CAP_AUDIT_CONTROL", "CAP_SETFCAP", "CAP_MAC_OVERRIDE", "CAP_MAC_ADMIN", "CAP_SYSLOG",
        "CAP_WAKE_ALARM", "CAP_BLOCK_SUSPEND", "CAP_AUDIT_READ", "CAP_PERFMON", "CAP_BPF",
        "CAP_CHECKPOINT_RESTORE",
    ];

    /// <summary>Capability number, or -1 for a name this build does not know.</summary>
    public static int CapabilityNumber(string name)
    {
        for (var i = 0; i < Capabilities.Count; i++)
        {
            if (string.Equals(Capabilities[i], name, StringComparison.Ordinal))
            {
                return i;
            }
        }

        return -1;
    }

    /// <summary>The highest capability the running kernel knows (/proc/sys/kernel/cap_last_cap).</summary>
    public static int ReadKernelCapLastCap()
    {
        try
        {
            var text = File.ReadAllText("/proc/sys/kernel/cap_last_cap").Trim();
            if (int.TryParse(text, out var last) && last >= 0)
            {
                return last;
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // No procfs (a build sandbox): trust our own list.
        }

        return Capabilities.Count - 1;
    }

    /// <summary>RLIMIT_* names and their resource numbers (asm-generic/resource.h).</summary>
    public static IReadOnlyDictionary<string, int> Rlimits { get; } = new Dictionary<string, int>(StringComparer.Ordinal)
    {
        ["RLIMIT_CPU"] = 0, ["RLIMIT_FSIZE"] = 1, ["RLIMIT_DATA"] = 2, ["RLIMIT_STACK"] = 3,
        ["RLIMIT_CORE"] = 4, ["RLIMIT_RSS"] = 5, ["RLIMIT_NPROC"] = 6, ["RLIMIT_NOFILE"] = 7,
        ["RLIMIT_MEMLOCK"] = 8, ["RLIMIT_AS"] = 9, ["RLIMIT_LOCKS"] = 10, ["RLIMIT_SIGPENDING"] = 11,
        ["RLIMIT_MSGQUEUE"] = 12, ["RLIMIT_NICE"] = 13, ["RLIMIT_RTPRIO"] = 14, ["RLIMIT_RTTIME"] = 15,
    };

    /// <summary>Namespace types in the order a runtime must create or join them (user first, so the rest are owned by it).</summary>
    public static IReadOnlyList<string> NamespaceTypes { get; } =
        ["user", "ipc", "uts", "network", "pid", "mount", "cgroup", "time"];

    public static IReadOnlySet<string> RootfsPropagations { get; } = new HashSet<string>(StringComparer.Ordinal)
    {
        "shared", "slave", "private", "unbindable", "rshared", "rslave", "rprivate", "runbindable",
    };

    public static IReadOnlySet<string> IoPriorityClasses { get; } = new HashSet<string>(StringComparer.Ordinal)
    {
        "IOPRIO_CLASS_RT", "IOPRIO_CLASS_BE", "IOPRIO_CLASS_IDLE",
    };

    public static IReadOnlySet<string> SchedulerPolicies { get; } = new HashSet<string>(StringComparer.Ordinal)
    {
        "SCHED_OTHER", "SCHED_FIFO", "SCHED_RR", "SCHED_BATCH", "SCHED_ISO", "SCHED_IDLE", "SCHED_DEADLINE",
    };

    public static IReadOnlySet<string> SchedulerFlags { get; } = new HashSet<string>(StringComparer.Ordinal)
    {
        "SCHED_FLAG_RESET_ON_FORK", "SCHED_FLAG_RECLAIM", "SCHED_FLAG_DL_OVERRUN", "SCHED_FLAG_KEEP_POLICY",
        "SCHED_FLAG_KEEP_PARAMS", "SCHED_FLAG_UTIL_CLAMP_MIN", "SCHED_FLAG_UTIL_CLAMP_MAX",
    };

    public static IReadOnlySet<string> PersonalityDomains { get; } = new HashSet<string>(StringComparer.Ordinal)
    {
        "LINUX", "LINUX32",
    };

    public static IReadOnlySet<string> TimeOffsetClocks { get; } = new HashSet<string>(StringComparer.Ordinal)
    {
        "monotonic", "boottime",
    };
}
