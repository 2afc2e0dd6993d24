using Containers.Runtime.Cgroups;
using Containers.Runtime.Lifecycle;

namespace Containers.Engine;

/// <summary>
/// One sample per container per interval. CpuPercent as Docker computes it:
/// (Δ container CPU / Δ system CPU) × online CPUs × 100, the deltas since the previous sample (the
/// first sample's since a baseline read one interval earlier). Network counters include lo; with
/// Network host they are the host's.
/// </summary>
internal sealed class StatsCollector(ContainerEngine engine)
{
    private sealed record Previous(ulong ContainerCpuNs, ulong SystemCpuNs);

    public IEnumerable<ContainerStatsSample> Stream(string[] ids, TimeSpan interval, CancellationToken cancellation)
    {
        var previous = new Dictionary<string, Previous>();
        int cpus = ProcStat.OnlineCpus();
        ulong system = ProcStat.SystemCpuNs();
        foreach (string id in ids)
        {
            if (Read(id) is { } baseline) previous[id] = new Previous(baseline.Stats.Cpu?.UsageTotalNs ?? 0, system);
        }
        // Samples on a fixed clock: collection time does not stretch the interval.
        long next = Environment.TickCount64 + (long)interval.TotalMilliseconds;
        while (true)
        {
            long wait = Math.Max(0, next - Environment.TickCount64);
            if (cancellation.WaitHandle.WaitOne(TimeSpan.FromMilliseconds(wait))) yield break;
            next = Math.Max(next + (long)interval.TotalMilliseconds, Environment.TickCount64);
            system = ProcStat.SystemCpuNs();
            var samples = new List<ContainerStatsSample>(ids.Length);
            foreach (string id in ids)
            {
                (string name, ContainerRecord? runtime, bool exists) = engine.StatsTarget(id);
                if (!exists) continue;
                CgroupStats? stats = runtime is null ? null : TryStats(runtime);
                if (stats is null)
                {
                    samples.Add(new ContainerStatsSample { Timestamp = DateTimeOffset.UtcNow, Id = id, Name = name });
                    previous.Remove(id);
                    continue;
                }
                ulong cpu = stats.Cpu?.UsageTotalNs ?? 0;
                double percent = 0;
                if (previous.TryGetValue(id, out Previous? before) && system > before.SystemCpuNs && cpu >= before.ContainerCpuNs)
                {
                    percent = (double)(cpu - before.ContainerCpuNs) / (system - before.SystemCpuNs) * cpus * 100.0;
                }
                previous[id] = new Previous(cpu, system);
                long? limit = stats.Memory?.Limit is { } l && l > 0 && l < long.MaxValue / 2 ? l : null;
                long usage = (long)(stats.Memory?.Usage ?? 0);
                // Docker subtracts the page cache from usage (cgroup v1: total_inactive_file).
                if (stats.Memory?.Raw.TryGetValue("total_inactive_file", out ulong inactive) == true && (ulong)usage >= inactive) usage -= (long)inactive;
                (long rx, long tx) = ProcStat.NetworkBytes(runtime!.Pid);
                samples.Add(new ContainerStatsSample
                {
                    Timestamp = DateTimeOffset.UtcNow,
                    Id = id,
                    Name = name,
                    CpuPercent = percent,
                    CpuTime = TimeSpan.FromTicks((long)(cpu / 100)),
                    MemoryUsage = usage,
                    MemoryLimit = limit,
                    MemoryPercent = limit is { } lim ? usage * 100.0 / lim : null,
                    PidsCurrent = (long)(stats.Pids?.Current ?? 0),
                    BlockRead = Sum(stats.BlockIo, "read"),
                    BlockWrite = Sum(stats.BlockIo, "write"),
                    NetRx = rx,
                    NetTx = tx,
                });
            }
            foreach (ContainerStatsSample sample in samples)
            {
                if (cancellation.IsCancellationRequested) yield break;
                yield return sample;
            }
        }
    }

    private (ContainerRecord Runtime, CgroupStats Stats)? Read(string id)
    {
        (_, ContainerRecord? runtime, _) = engine.StatsTarget(id);
        return runtime is not null && TryStats(runtime) is { } stats ? (runtime, stats) : null;
    }

    private static CgroupStats? TryStats(ContainerRecord runtime)
    {
        try
        {
            ICgroupManager cgroups = ContainerOperations.CgroupsOf(runtime);
            return cgroups.Exists() ? cgroups.GetStats() : null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ContainerException)
        {
            return null;
        }
    }

    private static long Sum(BlockIoStats? io, string op) =>
        io is null ? 0 : (long)io.ServiceBytes.Where(e => string.Equals(e.Op, op, StringComparison.OrdinalIgnoreCase)).Aggregate(0UL, (a, e) => a + e.Value);
}
