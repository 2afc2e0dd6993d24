namespace Containers.Runtime.Cgroups;

// The runtime's internal resource configuration (runc's configs.Resources). Field names and
// units mirror OCI runtime-spec LinuxResources so the spec converter is a plain copy:
// bytes for memory, microseconds for CPU time, null = leave the kernel's value alone,
// and -1 = unlimited where OCI says so.

/// <summary>What a cgroup manager's <c>Set</c> applies. Every member is optional.</summary>
public sealed record CgroupResources
{
    /// <summary>Device access rules in order; the last matching rule wins (OCI linux.resources.devices).</summary>
    public IReadOnlyList<CgroupDeviceRule> Devices { get; init; } = [];

    public CgroupMemory? Memory { get; init; }

    public CgroupCpu? Cpu { get; init; }

    public CgroupPids? Pids { get; init; }

    public CgroupBlockIo? BlockIo { get; init; }

    public IReadOnlyList<CgroupHugepageLimit> HugepageLimits { get; init; } = [];

    /// <summary>Raw v2 "file → value" pairs (OCI linux.resources.unified); rejected on v1.</summary>
    public IReadOnlyDictionary<string, string> Unified { get; init; } = new Dictionary<string, string>();

    /// <summary>Whether the container should be frozen after Set (runc's Resources.Freezer).</summary>
    public CgroupFreezerState? Freezer { get; init; }
}

/// <summary>OCI linux.resources.memory; bytes, -1 for unlimited.</summary>
public sealed record CgroupMemory
{
    public long? Limit { get; init; }

    /// <summary>Soft limit: v1 memory.soft_limit_in_bytes, v2 memory.low.</summary>
    public long? Reservation { get; init; }

    /// <summary>Memory plus swap (v1 semantics); v2 gets Swap − Limit in memory.swap.max.</summary>
    public long? Swap { get; init; }

    /// <summary>Deprecated by the kernel (5.4+) and by OCI; ignored as runc does.</summary>
    public long? Kernel { get; init; }

    /// <summary>v1 memory.kmem.tcp.limit_in_bytes; no v2 equivalent.</summary>
    public long? KernelTcp { get; init; }

    /// <summary>v1 memory.swappiness (0–100); no v2 equivalent.</summary>
    public ulong? Swappiness { get; init; }

    public bool? DisableOomKiller { get; init; }

    public bool? UseHierarchy { get; init; }

    /// <summary>Refuse a limit below current usage instead of letting the kernel reclaim or kill.</summary>
    public bool? CheckBeforeUpdate { get; init; }
}

/// <summary>OCI linux.resources.cpu; times in microseconds.</summary>
public sealed record CgroupCpu
{
    /// <summary>v1 cpu.shares (2–262144); v2 cpu.weight by runc's conversion.</summary>
    public ulong? Shares { get; init; }

    /// <summary>CFS quota per period; -1 for unlimited.</summary>
    public long? Quota { get; init; }

    public ulong? Burst { get; init; }

    public ulong? Period { get; init; }

    public long? RealtimeRuntime { get; init; }

    public ulong? RealtimePeriod { get; init; }

    /// <summary>cpuset.cpus list, e.g. "0-3,6".</summary>
    public string? Cpus { get; init; }

    /// <summary>cpuset.mems list.</summary>
    public string? Mems { get; init; }

    /// <summary>cpu.idle (SCHED_IDLE for the group).</summary>
    public long? Idle { get; init; }
}

/// <summary>OCI linux.resources.pids; 0 or less means unlimited (runtime-spec 1.2).</summary>
public sealed record CgroupPids
{
    public long Limit { get; init; }
}

/// <summary>OCI linux.resources.blockIO.</summary>
public sealed record CgroupBlockIo
{
    /// <summary>10–1000 (v1 blkio.weight); v2 io.bfq.weight or io.weight (1–10000) by conversion.</summary>
    public ushort? Weight { get; init; }

    public ushort? LeafWeight { get; init; }

    public IReadOnlyList<CgroupWeightDevice> WeightDevice { get; init; } = [];

    public IReadOnlyList<CgroupThrottleDevice> ThrottleReadBpsDevice { get; init; } = [];

    public IReadOnlyList<CgroupThrottleDevice> ThrottleWriteBpsDevice { get; init; } = [];

    public IReadOnlyList<CgroupThrottleDevice> ThrottleReadIopsDevice { get; init; } = [];

    public IReadOnlyList<CgroupThrottleDevice> ThrottleWriteIopsDevice { get; init; } = [];
}

public sealed record CgroupWeightDevice(long Major, long Minor, ushort? Weight, ushort? LeafWeight);

/// <summary>A per-device rate: bytes or operations per second.</summary>
public sealed record CgroupThrottleDevice(long Major, long Minor, ulong Rate);

/// <summary>OCI linux.resources.hugepageLimits: page size as the kernel names it ("2MB", "1GB").</summary>
public sealed record CgroupHugepageLimit(string PageSize, ulong Limit);

/// <summary>
/// OCI linux.resources.devices[]: allow or deny a device class. Type 'a' (all), 'b' or 'c';
/// null major/minor mean any ("*"); access is a subset of "rwm".
/// </summary>
public sealed record CgroupDeviceRule(bool Allow, char Type = 'a', long? Major = null, long? Minor = null, string Access = "rwm")
{
    /// <summary>The v1 devices.allow/deny line: "c 1:3 rwm", "a *:* rwm".</summary>
    public string ToV1Line() => $"{Type} {Number(Major)}:{Number(Minor)} {Access}";

    private static string Number(long? n) => n is { } v ? v.ToString(System.Globalization.CultureInfo.InvariantCulture) : "*";
}

public enum CgroupFreezerState
{
    Undefined,
    Thawed,
    Frozen,
}
