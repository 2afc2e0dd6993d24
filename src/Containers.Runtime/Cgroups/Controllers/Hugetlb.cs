using Containers.Cgroups;

namespace Containers.Runtime.Cgroups;

// File names carry the page size ("hugetlb.2MB.limit_in_bytes"): a {size} parameter.
[CgroupFile("hugetlb", "Limit", CgroupValueKind.MaxInteger, V1 = "hugetlb.{size}.limit_in_bytes", V2 = "hugetlb.{size}.max")]
[CgroupFile("hugetlb", "Usage", CgroupValueKind.Integer, V1 = "hugetlb.{size}.usage_in_bytes", V2 = "hugetlb.{size}.current", ReadOnly = true)]
[CgroupFile("hugetlb", "MaxUsage", CgroupValueKind.Integer, V1 = "hugetlb.{size}.max_usage_in_bytes", ReadOnly = true)]
[CgroupFile("hugetlb", "Failcnt", CgroupValueKind.Integer, V1 = "hugetlb.{size}.failcnt", ReadOnly = true)]
[CgroupFile("hugetlb", "Events", CgroupValueKind.FlatKeyed, V2 = "hugetlb.{size}.events", ReadOnly = true)]
internal static partial class HugetlbController
{
    public static void Set(CgroupDirectory dir, IReadOnlyList<CgroupHugepageLimit> limits)
    {
        foreach (CgroupHugepageLimit limit in limits)
        {
            if (!HasLimit(dir, limit.PageSize))
            {
                throw new NotSupportedException($"hugepageLimits: page size \"{limit.PageSize}\" is not supported here ({LimitFileName(dir.Version, limit.PageSize)} is missing in {dir.Path})");
            }

            WriteLimit(dir, limit.PageSize, (long)limit.Limit);
        }
    }

    public static Dictionary<string, HugetlbStats> Stats(CgroupDirectory dir, IEnumerable<string> pageSizes)
    {
        var stats = new Dictionary<string, HugetlbStats>(StringComparer.Ordinal);
        foreach (string size in pageSizes)
        {
            if (!HasUsage(dir, size))
            {
                continue;
            }

            ulong failcnt = dir.Version == CgroupVersion.V1
                ? (ulong)ReadFailcnt(dir, size)
                : ulong.Parse(ReadEvents(dir, size).GetValueOrDefault("max", "0"), System.Globalization.CultureInfo.InvariantCulture);
            ulong? maxUsage = HasMaxUsage(dir, size) ? (ulong)ReadMaxUsage(dir, size) : null;
            stats[size] = new HugetlbStats((ulong)ReadUsage(dir, size), maxUsage, failcnt);
        }

        return stats;
    }

    /// <summary>The page sizes as cgroup files name them, from /sys/kernel/mm/hugepages ("hugepages-2048kB" → "2MB").</summary>
    public static IReadOnlyList<string> HostPageSizes(string hugepagesDir = "/sys/kernel/mm/hugepages")
    {
        if (!Directory.Exists(hugepagesDir))
        {
            return [];
        }

        var sizes = new List<string>();
        foreach (string entry in Directory.EnumerateDirectories(hugepagesDir))
        {
            string name = Path.GetFileName(entry);
            if (name.StartsWith("hugepages-", StringComparison.Ordinal) && name.EndsWith("kB", StringComparison.Ordinal)
                && long.TryParse(name.AsSpan(10, name.Length - 12), System.Globalization.CultureInfo.InvariantCulture, out long kb))
            {
                sizes.Add(PageSizeName(kb * 1024));
            }
        }

        return sizes;
    }

    /// <summary>The kernel's name for a page size: 2097152 → "2MB", 1073741824 → "1GB", 65536 → "64KB".</summary>
    public static string PageSizeName(long bytes)
    {
        string[] units = ["B", "KB", "MB", "GB", "TB", "PB"];
        int unit = 0;
        while (bytes >= 1024 && bytes % 1024 == 0 && unit < units.Length - 1)
        {
            bytes /= 1024;
            unit++;
        }

        return bytes.ToString(System.Globalization.CultureInfo.InvariantCulture) + units[unit];
    }
}
