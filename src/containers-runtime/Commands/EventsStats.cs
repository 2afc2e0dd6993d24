using System.Text.Json.Serialization;
using Containers.Runtime.Cgroups;

namespace Containers.Cli.Commands;

// `events` data in runc's shape (runc types/events.go, which containerd's go-runc decodes): the names and
// nesting are runc's, and so is Go's omitempty (zero numbers and empty lists are left out; the structs never are).
// Not reported: intel_rdt, network_interfaces and PSI (v2 only), which CgroupStats does not collect; of
// cpuset, only cpus and mems (runc's flag files cpu_exclusive, mem_hardwall, … are left out).

/// <summary>runc's types.Stats, from <see cref="CgroupStats"/>.</summary>
public sealed record RuncStats
{
    [JsonPropertyName("cpu")]
    public required RuncCpu Cpu { get; init; }

    [JsonPropertyName("memory")]
    public required RuncMemory Memory { get; init; }

    [JsonPropertyName("pids")]
    public required RuncPids Pids { get; init; }

    [JsonPropertyName("blkio")]
    public required RuncBlkio Blkio { get; init; }

    [JsonPropertyName("cpuset")]
    public required RuncCpuset Cpuset { get; init; }

    /// <summary>Per page size ("2MB", "1GB").</summary>
    [JsonPropertyName("hugetlb")]
    public required IReadOnlyDictionary<string, RuncHugetlb> Hugetlb { get; init; }

    /// <summary>runc reports an unlimited memory or swap limit as the largest value the field holds.</summary>
    public const ulong Unlimited = ulong.MaxValue;

    public static RuncStats From(CgroupStats stats)
    {
        CpuStats cpu = stats.Cpu ?? new CpuStats();
        MemoryStats memory = stats.Memory ?? new MemoryStats();
        return new RuncStats
        {
            Cpu = new RuncCpu
            {
                Usage = new RuncCpuUsage
                {
                    Total = cpu.UsageTotalNs,
                    Percpu = NullIfEmpty(cpu.PerCpuUsageNs),
                    Kernel = cpu.UsageKernelNs,
                    User = cpu.UsageUserNs,
                },
                Throttling = new RuncThrottling
                {
                    Periods = cpu.ThrottlingPeriods,
                    ThrottledPeriods = cpu.ThrottledPeriods,
                    ThrottledTime = cpu.ThrottledTimeNs,
                },
            },
            Memory = new RuncMemory
            {
                Cache = memory.Cache,
                Usage = new RuncMemoryEntry
                {
                    Limit = Limit(memory.Limit),
                    Usage = memory.Usage,
                    Max = memory.MaxUsage ?? 0,
                    Failcnt = memory.Failcnt ?? 0,
                },
                Swap = new RuncMemoryEntry { Limit = Limit(memory.SwapLimit), Usage = memory.SwapUsage ?? 0 },
                Kernel = new RuncMemoryEntry(),
                KernelTcp = new RuncMemoryEntry(),
                Raw = memory.Raw.Count == 0 ? null : memory.Raw,
            },
            Pids = new RuncPids
            {
                Current = stats.Pids?.Current ?? 0,
                Limit = stats.Pids?.Limit is long limit and >= 0 ? (ulong)limit : 0, // "max" is 0: left out
            },
            Blkio = new RuncBlkio
            {
                IoServiceBytesRecursive = Entries(stats.BlockIo?.ServiceBytes),
                IoServicedRecursive = Entries(stats.BlockIo?.Serviced),
            },
            Cpuset = new RuncCpuset { Cpus = NullIfEmpty(stats.Cpuset?.Cpus), Mems = NullIfEmpty(stats.Cpuset?.Mems) },
            Hugetlb = stats.Hugetlb.ToDictionary(
                h => h.Key, h => new RuncHugetlb { Usage = h.Value.Usage, Max = h.Value.MaxUsage ?? 0, Failcnt = h.Value.Failcnt }),
        };
    }

    private static ulong Limit(long? limit) => limit is long l and >= 0 ? (ulong)l : Unlimited;

    private static IReadOnlyList<T>? NullIfEmpty<T>(IReadOnlyList<T>? values) => values is not { Count: > 0 } ? null : values;

    private static IReadOnlyList<RuncBlkioEntry>? Entries(IReadOnlyList<BlockIoEntry>? entries) =>
        entries is not { Count: > 0 } ? null
            : entries.Select(e => new RuncBlkioEntry { Major = (ulong)e.Major, Minor = (ulong)e.Minor, Op = e.Op, Value = e.Value }).ToList();
}

public sealed record RuncCpu
{
    [JsonPropertyName("usage")]
    public required RuncCpuUsage Usage { get; init; }

    [JsonPropertyName("throttling")]
    public required RuncThrottling Throttling { get; init; }
}

/// <summary>Nanoseconds.</summary>
public sealed record RuncCpuUsage
{
    [JsonPropertyName("total"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public ulong Total { get; init; }

    [JsonPropertyName("percpu")]
    public IReadOnlyList<ulong>? Percpu { get; init; }

    [JsonPropertyName("kernel")]
    public ulong Kernel { get; init; }

    [JsonPropertyName("user")]
    public ulong User { get; init; }
}

public sealed record RuncThrottling
{
    [JsonPropertyName("periods"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public ulong Periods { get; init; }

    [JsonPropertyName("throttledPeriods"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public ulong ThrottledPeriods { get; init; }

    [JsonPropertyName("throttledTime"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public ulong ThrottledTime { get; init; }
}

public sealed record RuncMemory
{
    [JsonPropertyName("cache"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public ulong Cache { get; init; }

    [JsonPropertyName("usage")]
    public required RuncMemoryEntry Usage { get; init; }

    /// <summary>Memory plus swap, as v1's memsw files count it.</summary>
    [JsonPropertyName("swap")]
    public required RuncMemoryEntry Swap { get; init; }

    [JsonPropertyName("kernel")]
    public required RuncMemoryEntry Kernel { get; init; }

    [JsonPropertyName("kernelTCP")]
    public required RuncMemoryEntry KernelTcp { get; init; }

    [JsonPropertyName("raw")]
    public IReadOnlyDictionary<string, ulong>? Raw { get; init; }
}

/// <summary>Bytes.</summary>
public sealed record RuncMemoryEntry
{
    [JsonPropertyName("limit")]
    public ulong Limit { get; init; }

    [JsonPropertyName("usage"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public ulong Usage { get; init; }

    [JsonPropertyName("max"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public ulong Max { get; init; }

    [JsonPropertyName("failcnt")]
    public ulong Failcnt { get; init; }
}

public sealed record RuncPids
{
    [JsonPropertyName("current"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public ulong Current { get; init; }

    [JsonPropertyName("limit"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public ulong Limit { get; init; }
}

public sealed record RuncBlkio
{
    [JsonPropertyName("ioServiceBytesRecursive")]
    public IReadOnlyList<RuncBlkioEntry>? IoServiceBytesRecursive { get; init; }

    [JsonPropertyName("ioServicedRecursive")]
    public IReadOnlyList<RuncBlkioEntry>? IoServicedRecursive { get; init; }
}

public sealed record RuncBlkioEntry
{
    [JsonPropertyName("major"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public ulong Major { get; init; }

    [JsonPropertyName("minor"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public ulong Minor { get; init; }

    [JsonPropertyName("op")]
    public string? Op { get; init; }

    [JsonPropertyName("value"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public ulong Value { get; init; }
}

/// <summary>runc's types.CPUSet: the CPUs and memory nodes the container may use.</summary>
public sealed record RuncCpuset
{
    [JsonPropertyName("cpus")]
    public IReadOnlyList<int>? Cpus { get; init; }

    [JsonPropertyName("mems")]
    public IReadOnlyList<int>? Mems { get; init; }
}

public sealed record RuncHugetlb
{
    [JsonPropertyName("usage"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public ulong Usage { get; init; }

    [JsonPropertyName("max"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public ulong Max { get; init; }

    [JsonPropertyName("failcnt")]
    public ulong Failcnt { get; init; }
}
