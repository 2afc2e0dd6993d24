using Containers.Cgroups;
using Containers.Interop;

namespace Containers.Runtime.Cgroups;

[CgroupFile("memory", "Limit", CgroupValueKind.MaxInteger, V1 = "memory.limit_in_bytes", V2 = "memory.max")]
[CgroupFile("memory", "Reservation", CgroupValueKind.MaxInteger, V1 = "memory.soft_limit_in_bytes", V2 = "memory.low")]
[CgroupFile("memory", "SwapLimit", CgroupValueKind.MaxInteger, V1 = "memory.memsw.limit_in_bytes", V2 = "memory.swap.max")]
[CgroupFile("memory", "KernelTcpLimit", CgroupValueKind.MaxInteger, V1 = "memory.kmem.tcp.limit_in_bytes")]
[CgroupFile("memory", "Swappiness", CgroupValueKind.Integer, V1 = "memory.swappiness")]
[CgroupFile("memory", "UseHierarchy", CgroupValueKind.Integer, V1 = "memory.use_hierarchy")]
[CgroupFile("memory", "OomControl", CgroupValueKind.FlatKeyed, V1 = "memory.oom_control", Record = typeof(MemoryOomControlFile))]
[CgroupFile("memory", "Usage", CgroupValueKind.Integer, V1 = "memory.usage_in_bytes", V2 = "memory.current", ReadOnly = true)]
[CgroupFile("memory", "MaxUsage", CgroupValueKind.Integer, V1 = "memory.max_usage_in_bytes", V2 = "memory.peak", ReadOnly = true)]
[CgroupFile("memory", "Failcnt", CgroupValueKind.Integer, V1 = "memory.failcnt", ReadOnly = true)]
[CgroupFile("memory", "SwapUsage", CgroupValueKind.Integer, V1 = "memory.memsw.usage_in_bytes", V2 = "memory.swap.current", ReadOnly = true)]
[CgroupFile("memory", "Stat", CgroupValueKind.FlatKeyed, V1 = "memory.stat", V2 = "memory.stat", ReadOnly = true, Record = typeof(MemoryStatFile))]
[CgroupFile("memory", "StatRaw", CgroupValueKind.FlatKeyed, V1 = "memory.stat", V2 = "memory.stat", ReadOnly = true)]
[CgroupFile("memory", "Events", CgroupValueKind.FlatKeyed, V2 = "memory.events", ReadOnly = true, Record = typeof(MemoryEventsFile))]
internal static partial class MemoryController
{
    public static void Set(CgroupDirectory dir, CgroupMemory? memory)
    {
        if (memory is null)
        {
            return;
        }

        if (dir.Version == CgroupVersion.V1)
        {
            SetV1(dir, memory);
        }
        else
        {
            SetV2(dir, memory);
        }
    }

    private static void SetV1(CgroupDirectory dir, CgroupMemory memory)
    {
        CheckBeforeUpdate(dir, memory);
        long? limit = memory.Limit;
        long? swap = memory.Swap;

        // Unlimited memory with swap unset means "both unlimited" (runc), if swap is accounted at all.
        if (limit == -1 && swap is null or 0 && HasSwapLimit(dir))
        {
            swap = -1;
        }

        if (limit is { } l && l != 0 && swap is { } s && s != 0)
        {
            // The kernel keeps memory <= memsw at every step: raise memsw first when growing.
            long current = ReadLimit(dir) ?? long.MaxValue;
            if (s == -1 || current < s)
            {
                WriteSwapV1(dir, s);
                WriteMemoryLimit(dir, l);
            }
            else
            {
                WriteMemoryLimit(dir, l);
                WriteSwapV1(dir, s);
            }
        }
        else
        {
            if (limit is { } only && only != 0)
            {
                WriteMemoryLimit(dir, only);
            }

            if (swap is { } onlySwap && onlySwap != 0)
            {
                WriteSwapV1(dir, onlySwap);
            }
        }

        if (memory.Reservation is { } reservation && reservation != 0)
        {
            WriteReservation(dir, reservation);
        }

        if (memory.KernelTcp is { } tcp && tcp != 0)
        {
            WriteKernelTcpLimit(dir, tcp);
        }

        if (memory.Swappiness is { } swappiness)
        {
            if (swappiness > 100)
            {
                throw new ArgumentOutOfRangeException(nameof(memory), $"memory.swappiness: {swappiness} is not in 0-100");
            }

            WriteSwappiness(dir, (long)swappiness);
        }

        if (memory.UseHierarchy is { } hierarchy)
        {
            WriteUseHierarchy(dir, hierarchy ? 1 : 0);
        }

        if (memory.DisableOomKiller == true)
        {
            WriteOomControl(dir, "1");
        }
    }

    private static void SetV2(CgroupDirectory dir, CgroupMemory memory)
    {
        CheckBeforeUpdate(dir, memory);
        if (memory.Swappiness is not null)
        {
            throw new NotSupportedException("memory.swappiness has no cgroup v2 equivalent; leave it unset");
        }

        if (memory.KernelTcp is { } tcp && tcp != 0)
        {
            throw new NotSupportedException("memory.kernelTCP has no cgroup v2 equivalent; leave it unset");
        }

        long swap = SwapToV2(memory.Swap ?? 0, memory.Limit ?? 0);
        if (swap != 0)
        {
            if (HasSwapLimit(dir))
            {
                WriteSwapLimit(dir, swap == -1 ? null : swap);
            }
            else if (swap != -1)
            {
                throw new NotSupportedException($"memory.swap.max is missing in {dir.Path}: the kernel does not account swap (swapaccount=0?), so a swap limit cannot be set");
            }
        }

        if (memory.Limit is { } limit && limit != 0)
        {
            WriteMemoryLimit(dir, limit);
        }

        if (memory.Reservation is { } reservation && reservation != 0)
        {
            WriteReservation(dir, reservation == -1 ? null : reservation);
        }

        // v2 has no per-cgroup switch to disable the OOM killer; runc ignores it as well.
    }

    /// <summary>
    /// OCI swap is memory+swap (the v1 meaning); memory.swap.max is swap alone (runc's
    /// ConvertMemorySwapToCgroupV2Value). -1 unlimited, 0 unset.
    /// </summary>
    public static long SwapToV2(long swap, long limit)
    {
        if (limit == -1 && swap == 0)
        {
            return -1;
        }

        if (swap is -1 or 0)
        {
            return swap;
        }

        if (limit is 0 or -1)
        {
            throw new ArgumentException($"memory.swap: cannot set a swap limit ({swap}) without a memory limit");
        }

        if (swap < limit)
        {
            throw new ArgumentException($"memory.swap: memory+swap limit ({swap}) must be >= memory limit ({limit})");
        }

        return swap - limit;
    }

    private static void WriteMemoryLimit(CgroupDirectory dir, long limit)
    {
        try
        {
            WriteLimit(dir, limit == -1 ? null : limit);
        }
        catch (SyscallException e) when (e.Errno == Errno.EBUSY)
        {
            // The kernel refuses a limit below usage it cannot reclaim: say what the usage is.
            throw new IOException(
                $"unable to set memory limit to {limit} in {dir.Path} (current usage: {ReadUsage(dir)}, peak usage: {(HasMaxUsage(dir) ? ReadMaxUsage(dir) : "unknown")}): {e.Message}", e);
        }
    }

    private static void WriteSwapV1(CgroupDirectory dir, long swap)
    {
        if (!HasSwapLimit(dir))
        {
            if (swap == -1)
            {
                return;
            }

            throw new NotSupportedException($"memory.memsw.limit_in_bytes is missing in {dir.Path}: the kernel does not account swap (swapaccount=0?), so a swap limit cannot be set");
        }

        WriteSwapLimit(dir, swap == -1 ? null : swap);
    }

    private static void CheckBeforeUpdate(CgroupDirectory dir, CgroupMemory memory)
    {
        if (memory.CheckBeforeUpdate != true || memory.Limit is not { } limit || limit <= 0)
        {
            return;
        }

        long usage = ReadUsage(dir);
        if (limit < usage)
        {
            throw new InvalidOperationException($"memory limit {limit} is below the current usage {usage} of {dir.Path} (checkBeforeUpdate)");
        }
    }

    public static MemoryStats Stats(CgroupDirectory dir)
    {
        MemoryStatFile stat = ReadStat(dir);
        var raw = new Dictionary<string, ulong>(StringComparer.Ordinal);
        foreach ((string key, string value) in ReadStatRaw(dir))
        {
            if (ulong.TryParse(value, System.Globalization.CultureInfo.InvariantCulture, out ulong n))
            {
                raw[key] = n;
            }
        }

        ulong usage = (ulong)ReadUsage(dir);
        bool hasSwap = HasSwapUsage(dir);
        if (dir.Version == CgroupVersion.V1)
        {
            MemoryOomControlFile oom = ReadOomControl(dir);
            return new MemoryStats
            {
                Usage = usage,
                MaxUsage = (ulong)ReadMaxUsage(dir),
                Limit = ReadLimit(dir),
                Failcnt = (ulong)ReadFailcnt(dir),
                SwapUsage = hasSwap ? (ulong)ReadSwapUsage(dir) : null,
                SwapLimit = HasSwapLimit(dir) ? ReadSwapLimit(dir) : null,
                Cache = stat.Cache,
                Rss = stat.Rss,
                OomKillCount = oom.OomKill,
                UnderOom = oom.UnderOom != 0,
                Raw = raw,
            };
        }

        MemoryEventsFile events = HasEvents(dir) ? ReadEvents(dir) : new MemoryEventsFile();
        return new MemoryStats
        {
            Usage = usage,
            MaxUsage = HasMaxUsage(dir) ? (ulong)ReadMaxUsage(dir) : null,
            Limit = ReadLimit(dir),
            SwapUsage = hasSwap ? (ulong)ReadSwapUsage(dir) + usage : null,
            SwapLimit = HasSwapLimit(dir) ? ReadSwapLimit(dir) : null,
            Cache = stat.Cache,
            Rss = stat.Rss,
            OomKillCount = events.OomKill,
            Raw = raw,
        };
    }
}

/// <summary>memory.stat, keys named per version (v1 counts the hierarchy with "total_" keys).</summary>
[CgroupKeyedRecord]
internal sealed partial record MemoryStatFile
{
    [CgroupKey(V1 = "total_cache", V2 = "file")]
    public ulong Cache { get; init; }

    [CgroupKey(V1 = "total_rss", V2 = "anon")]
    public ulong Rss { get; init; }

    [CgroupKey(V1 = "total_shmem", V2 = "shmem")]
    public ulong Shmem { get; init; }

    [CgroupKey(V1 = "total_mapped_file", V2 = "file_mapped")]
    public ulong MappedFile { get; init; }

    [CgroupKey(V1 = "total_inactive_file", V2 = "inactive_file")]
    public ulong InactiveFile { get; init; }

    [CgroupKey(V1 = "total_active_file", V2 = "active_file")]
    public ulong ActiveFile { get; init; }

    [CgroupKey(V1 = "total_pgfault", V2 = "pgfault")]
    public ulong PageFaults { get; init; }

    [CgroupKey(V1 = "total_pgmajfault", V2 = "pgmajfault")]
    public ulong MajorPageFaults { get; init; }
}

/// <summary>v1 memory.oom_control.</summary>
[CgroupKeyedRecord]
internal sealed partial record MemoryOomControlFile
{
    [CgroupKey(V1 = "oom_kill_disable")]
    public ulong OomKillDisable { get; init; }

    [CgroupKey(V1 = "under_oom")]
    public ulong UnderOom { get; init; }

    /// <summary>Since Linux 4.13.</summary>
    [CgroupKey(V1 = "oom_kill")]
    public ulong OomKill { get; init; }
}

/// <summary>v2 memory.events.</summary>
[CgroupKeyedRecord]
internal sealed partial record MemoryEventsFile
{
    [CgroupKey(V2 = "low")]
    public ulong Low { get; init; }

    [CgroupKey(V2 = "high")]
    public ulong High { get; init; }

    [CgroupKey(V2 = "max")]
    public ulong Max { get; init; }

    [CgroupKey(V2 = "oom")]
    public ulong Oom { get; init; }

    [CgroupKey(V2 = "oom_kill")]
    public ulong OomKill { get; init; }
}
