using System.Globalization;
using Containers.Cgroups;

namespace Containers.Runtime.Cgroups;

// v1 only: on v2 the same numbers are in cpu.stat. Mounted apart from cpu on some hosts (ours).
[CgroupFile("cpuacct", "Usage", CgroupValueKind.Integer, V1 = "cpuacct.usage", ReadOnly = true)]
[CgroupFile("cpuacct", "UsageUser", CgroupValueKind.Integer, V1 = "cpuacct.usage_user", ReadOnly = true)]
[CgroupFile("cpuacct", "UsageSys", CgroupValueKind.Integer, V1 = "cpuacct.usage_sys", ReadOnly = true)]
[CgroupFile("cpuacct", "UsagePerCpu", CgroupValueKind.String, V1 = "cpuacct.usage_percpu", ReadOnly = true)]
internal static partial class CpuacctController
{
    public static CpuStats AddUsage(CgroupDirectory dir, CpuStats stats)
    {
        ulong[] perCpu = ReadUsagePerCpu(dir)
            .Split(' ', StringSplitOptions.RemoveEmptyEntries)
            .Select(v => ulong.Parse(v, CultureInfo.InvariantCulture))
            .ToArray();
        return stats with
        {
            UsageTotalNs = (ulong)ReadUsage(dir),
            UsageUserNs = HasUsageUser(dir) ? (ulong)ReadUsageUser(dir) : 0,
            UsageKernelNs = HasUsageSys(dir) ? (ulong)ReadUsageSys(dir) : 0,
            PerCpuUsageNs = perCpu,
        };
    }
}
