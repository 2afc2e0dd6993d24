namespace Containers.Runtime.Cgroups;

// What GetStats returns, normalised across versions (runc's cgroups.Stats): nanoseconds for
// CPU time, bytes for memory. A controller that is not mounted leaves its part null.

public sealed record CgroupStats
{
    public CpuStats? Cpu { get; init; }

    public MemoryStats? Memory { get; init; }

    public PidsStats? Pids { get; init; }

    public BlockIoStats? BlockIo { get; init; }

    public CpusetStats? Cpuset { get; init; }

    /// <summary>Per page size ("2MB").</summary>
    public IReadOnlyDictionary<string, HugetlbStats> Hugetlb { get; init; } = new Dictionary<string, HugetlbStats>();

    public CgroupFreezerState? Freezer { get; init; }
}

public sealed record CpuStats
{
    public ulong UsageTotalNs { get; init; }

    public ulong UsageUserNs { get; init; }

    public ulong UsageKernelNs { get; init; }

    /// <summary>v1 cpuacct.usage_percpu; empty on v2, which has no per-CPU usage.</summary>
    public IReadOnlyList<ulong> PerCpuUsageNs { get; init; } = [];

    public ulong ThrottlingPeriods { get; init; }

    public ulong ThrottledPeriods { get; init; }

    public ulong ThrottledTimeNs { get; init; }
}

public sealed record MemoryStats
{
    public ulong Usage { get; init; }

    /// <summary>Peak usage (v1 max_usage_in_bytes, v2 memory.peak where the kernel has it).</summary>
    public ulong? MaxUsage { get; init; }

    /// <summary>null for unlimited.</summary>
    public long? Limit { get; init; }

    public ulong? Failcnt { get; init; }

    /// <summary>Memory plus swap in use, as v1's memsw reports (v2: memory.current + memory.swap.current).</summary>
    public ulong? SwapUsage { get; init; }

    public long? SwapLimit { get; init; }

    /// <summary>Page cache (v1 total_cache, v2 file).</summary>
    public ulong Cache { get; init; }

    /// <summary>Anonymous memory (v1 total_rss, v2 anon).</summary>
    public ulong Rss { get; init; }

    /// <summary>Processes killed by the OOM killer in this cgroup (v1 oom_control oom_kill, v2 memory.events oom_kill).</summary>
    public ulong OomKillCount { get; init; }

    public bool? UnderOom { get; init; }

    /// <summary>Every key of memory.stat as the kernel printed it.</summary>
    public IReadOnlyDictionary<string, ulong> Raw { get; init; } = new Dictionary<string, ulong>();
}

public sealed record PidsStats(ulong Current, long? Limit);

/// <summary>One device/operation counter, as runc's BlkioStatEntry.</summary>
public sealed record BlockIoEntry(long Major, long Minor, string Op, ulong Value);

public sealed record BlockIoStats
{
    public IReadOnlyList<BlockIoEntry> ServiceBytes { get; init; } = [];

    public IReadOnlyList<BlockIoEntry> Serviced { get; init; } = [];
}

public sealed record HugetlbStats(ulong Usage, ulong? MaxUsage, ulong Failcnt);

/// <summary>The CPUs and memory nodes the cgroup may use (v1 cpuset.cpus/mems, v2 cpuset.cpus/mems.effective), as lists.</summary>
public sealed record CpusetStats(IReadOnlyList<int> Cpus, IReadOnlyList<int> Mems);
