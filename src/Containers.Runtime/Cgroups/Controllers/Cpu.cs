using System.Globalization;
using Containers.Cgroups;
using Containers.Interop;

namespace Containers.Runtime.Cgroups;

[CgroupFile("cpu", "Shares", CgroupValueKind.Integer, V1 = "cpu.shares")]
[CgroupFile("cpu", "Weight", CgroupValueKind.Integer, V2 = "cpu.weight")]
[CgroupFile("cpu", "Quota", CgroupValueKind.MaxInteger, V1 = "cpu.cfs_quota_us")]
[CgroupFile("cpu", "Period", CgroupValueKind.Integer, V1 = "cpu.cfs_period_us")]
[CgroupFile("cpu", "Max", CgroupValueKind.String, V2 = "cpu.max")]
[CgroupFile("cpu", "Burst", CgroupValueKind.Integer, V1 = "cpu.cfs_burst_us", V2 = "cpu.max.burst")]
[CgroupFile("cpu", "RealtimeRuntime", CgroupValueKind.Integer, V1 = "cpu.rt_runtime_us")]
[CgroupFile("cpu", "RealtimePeriod", CgroupValueKind.Integer, V1 = "cpu.rt_period_us")]
[CgroupFile("cpu", "Idle", CgroupValueKind.Integer, V1 = "cpu.idle", V2 = "cpu.idle")]
[CgroupFile("cpu", "Stat", CgroupValueKind.FlatKeyed, V1 = "cpu.stat", V2 = "cpu.stat", ReadOnly = true, Record = typeof(CpuStatFile))]
internal static partial class CpuController
{
    public static void Set(CgroupDirectory dir, CgroupCpu? cpu)
    {
        if (cpu is null)
        {
            return;
        }

        if (dir.Version == CgroupVersion.V1)
        {
            SetV1(dir, cpu);
        }
        else
        {
            SetV2(dir, cpu);
        }
    }

    private static void SetV1(CgroupDirectory dir, CgroupCpu cpu)
    {
        // Realtime first: a child's rt_runtime may only grow after the parent's did (runc's order).
        if (cpu.RealtimePeriod is { } rtPeriod && rtPeriod != 0)
        {
            RequireRealtime(dir);
            WriteRealtimePeriod(dir, (long)rtPeriod);
        }

        if (cpu.RealtimeRuntime is { } rtRuntime && rtRuntime != 0)
        {
            RequireRealtime(dir);
            WriteRealtimeRuntime(dir, rtRuntime);
        }

        if (cpu.Shares is { } shares && shares != 0)
        {
            WriteShares(dir, (long)shares);
            long actual = ReadShares(dir);
            if ((ulong)actual != shares)
            {
                // The kernel clamps silently to [2, 262144]: report instead of pretending.
                string bound = shares > (ulong)actual ? "maximum" : "minimum";
                throw new ArgumentOutOfRangeException(nameof(cpu), $"cpu.shares: {shares} is out of range; the {bound} allowed cpu-shares is {actual}");
            }
        }

        long? quota = cpu.Quota is null or 0 ? null : cpu.Quota;
        if (cpu.Period is { } period && period != 0)
        {
            try
            {
                WritePeriod(dir, (long)period);
            }
            catch (SyscallException e) when (e.Errno == Errno.EINVAL && quota is not null)
            {
                // A shorter period can be invalid against the old quota: write the quota first (runc).
                WriteQuota(dir, quota == -1 ? null : quota);
                quota = null;
                WritePeriod(dir, (long)period);
            }
        }

        if (quota is { } q)
        {
            WriteQuota(dir, q == -1 ? null : q);
        }

        if (cpu.Burst is { } burst)
        {
            WriteBurst(dir, (long)burst);
        }

        if (cpu.Idle is { } idle)
        {
            WriteIdle(dir, idle);
        }
    }

    private static void SetV2(CgroupDirectory dir, CgroupCpu cpu)
    {
        if (cpu.RealtimeRuntime is not null and not 0 || cpu.RealtimePeriod is not null and not 0)
        {
            throw new NotSupportedException("cpu.realtimeRuntime/realtimePeriod: realtime scheduling groups are not supported on cgroup v2");
        }

        if (cpu.Idle is { } idle && idle != 0)
        {
            WriteIdle(dir, idle);
        }
        else if (cpu.Shares is { } shares && shares != 0)
        {
            WriteWeight(dir, (long)SharesToWeight(shares));
        }

        if (cpu.Quota is not null and not 0 || cpu.Period is not null and not 0)
        {
            string max = cpu.Quota is { } q && q > 0 ? q.ToString(CultureInfo.InvariantCulture) : "max";
            if (cpu.Period is { } p && p != 0)
            {
                max += " " + p.ToString(CultureInfo.InvariantCulture);
            }

            WriteMax(dir, max);
        }

        if (cpu.Burst is { } burst)
        {
            WriteBurst(dir, (long)burst);
        }
    }

    /// <summary>
    /// v1 cpu.shares [2, 262144] (default 1024) to v2 cpu.weight [1, 10000] (default 100) on a
    /// quadratic curve in log space, so that 2 → 1, 1024 → 100 and 262144 → 10000 — runc 1.3.2+ and
    /// crun 1.23+ (the older linear formula mapped 1024 to 39, far below the v2 default).
    /// </summary>
    public static ulong SharesToWeight(ulong shares)
    {
        if (shares == 0)
        {
            return 0;
        }

        if (shares <= 2)
        {
            return 1;
        }

        if (shares >= 262144)
        {
            return 10000;
        }

        double l = Math.Log2(shares);
        double exponent = (((l * l) + (125 * l)) / 612.0) - (7.0 / 34.0);
        return (ulong)Math.Ceiling(Math.Pow(10, exponent));
    }

    private static void RequireRealtime(CgroupDirectory dir)
    {
        if (!HasRealtimeRuntime(dir))
        {
            throw new NotSupportedException($"cpu.realtimeRuntime/realtimePeriod: {dir.Path} has no cpu.rt_runtime_us (kernel built without CONFIG_RT_GROUP_SCHED)");
        }
    }

    public static CpuStats Stats(CgroupDirectory cpu, CgroupDirectory? cpuacct)
    {
        CpuStatFile stat = ReadStat(cpu);
        if (cpu.Version == CgroupVersion.V2)
        {
            return new CpuStats
            {
                UsageTotalNs = stat.UsageUsec * 1000,
                UsageUserNs = stat.UserUsec * 1000,
                UsageKernelNs = stat.SystemUsec * 1000,
                ThrottlingPeriods = stat.Periods,
                ThrottledPeriods = stat.ThrottledPeriods,
                ThrottledTimeNs = stat.ThrottledUsec * 1000,
            };
        }

        var stats = new CpuStats
        {
            ThrottlingPeriods = stat.Periods,
            ThrottledPeriods = stat.ThrottledPeriods,
            ThrottledTimeNs = stat.ThrottledTimeNs,
        };
        return cpuacct is null ? stats : CpuacctController.AddUsage(cpuacct, stats);
    }
}

/// <summary>cpu.stat: v1 counts throttling in nanoseconds, v2 everything in microseconds.</summary>
[CgroupKeyedRecord]
internal sealed partial record CpuStatFile
{
    [CgroupKey(V2 = "usage_usec")]
    public ulong UsageUsec { get; init; }

    [CgroupKey(V2 = "user_usec")]
    public ulong UserUsec { get; init; }

    [CgroupKey(V2 = "system_usec")]
    public ulong SystemUsec { get; init; }

    [CgroupKey("nr_periods")]
    public ulong Periods { get; init; }

    [CgroupKey("nr_throttled")]
    public ulong ThrottledPeriods { get; init; }

    [CgroupKey(V1 = "throttled_time")]
    public ulong ThrottledTimeNs { get; init; }

    [CgroupKey(V2 = "throttled_usec")]
    public ulong ThrottledUsec { get; init; }
}
