using System.Globalization;
using System.Text;

namespace Containers.Runtime.Cgroups;

/// <summary>One cgroup filesystem mount from /proc/self/mountinfo.</summary>
/// <param name="MountPoint">Where it is mounted, e.g. <c>/sys/fs/cgroup/memory</c>.</param>
/// <param name="Root">The cgroup the mount shows as its root (not "/" inside a cgroup namespace or a bind mount).</param>
/// <param name="Version">v1 hierarchy or cgroup2.</param>
/// <param name="Controllers">v1 controllers (and "name=..." for named hierarchies); empty for cgroup2.</param>
public sealed record CgroupMount(string MountPoint, string Root, CgroupVersion Version, IReadOnlyList<string> Controllers);

/// <summary>
/// The host's cgroup layout, read from /proc/self/mountinfo — what is mounted decides, never the
/// kernel version (a 6.x kernel may well run v1, as our own machines do).
/// </summary>
public sealed class CgroupMounts
{
    /// <summary>v1 controllers the kernel knows; other super-options of a cgroup mount (rw, xattr, ...) are not controllers.</summary>
    public static readonly IReadOnlySet<string> KnownV1Controllers = new HashSet<string>(StringComparer.Ordinal)
    {
        "cpu", "cpuacct", "cpuset", "memory", "devices", "freezer", "net_cls", "net_prio",
        "blkio", "perf_event", "hugetlb", "pids", "rdma", "misc",
    };

    private CgroupMounts(IReadOnlyList<CgroupMount> mounts)
    {
        Mounts = mounts;
        Unified = mounts.FirstOrDefault(m => m.Version == CgroupVersion.V2);
        var v1 = new Dictionary<string, CgroupMount>(StringComparer.Ordinal);
        foreach (CgroupMount mount in mounts.Where(m => m.Version == CgroupVersion.V1))
        {
            foreach (string controller in mount.Controllers)
            {
                v1.TryAdd(controller, mount); // the first mount of a hierarchy wins, as in runc
            }
        }

        V1 = v1;
        bool anyV1Controller = v1.Keys.Any(KnownV1Controllers.Contains);
        Mode = !anyV1Controller && Unified is not null ? CgroupMode.Unified
            : Unified is not null ? CgroupMode.Hybrid
            : CgroupMode.Legacy;
    }

    public IReadOnlyList<CgroupMount> Mounts { get; }

    /// <summary>v1 mounts by controller ("memory", "cpuacct", "name=systemd", ...).</summary>
    public IReadOnlyDictionary<string, CgroupMount> V1 { get; }

    /// <summary>The cgroup2 mount, if any.</summary>
    public CgroupMount? Unified { get; }

    public CgroupMode Mode { get; }

    public static CgroupMounts Read(string mountInfoPath = "/proc/self/mountinfo") => Parse(File.ReadAllText(mountInfoPath));

    /// <summary>Parses mountinfo (proc(5)): "id parent maj:min root mountpoint opts [optional...] - fstype source superopts".</summary>
    public static CgroupMounts Parse(string mountInfo)
    {
        var mounts = new List<CgroupMount>();
        foreach (string line in mountInfo.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            string[] fields = line.Split(' ');
            int dash = Array.IndexOf(fields, "-");
            if (dash < 6 || fields.Length < dash + 4)
            {
                continue;
            }

            string fsType = fields[dash + 1];
            string root = Unescape(fields[3]);
            string mountPoint = Unescape(fields[4]);
            if (fsType == "cgroup2")
            {
                mounts.Add(new CgroupMount(mountPoint, root, CgroupVersion.V2, []));
            }
            else if (fsType == "cgroup")
            {
                string[] controllers = fields[dash + 3].Split(',')
                    .Where(o => KnownV1Controllers.Contains(o) || o.StartsWith("name=", StringComparison.Ordinal))
                    .ToArray();
                mounts.Add(new CgroupMount(mountPoint, root, CgroupVersion.V1, controllers));
            }
        }

        return new CgroupMounts(mounts);
    }

    // mountinfo escapes space, tab, newline and backslash as \040 \011 \012 \134.
    private static string Unescape(string field)
    {
        if (!field.Contains('\\', StringComparison.Ordinal))
        {
            return field;
        }

        var sb = new StringBuilder(field.Length);
        for (int i = 0; i < field.Length; i++)
        {
            if (field[i] == '\\' && i + 3 < field.Length
                && int.TryParse(field.AsSpan(i + 1, 3), NumberStyles.None, CultureInfo.InvariantCulture, out _))
            {
                sb.Append((char)Convert.ToInt32(field.Substring(i + 1, 3), 8));
                i += 3;
            }
            else
            {
                sb.Append(field[i]);
            }
        }

        return sb.ToString();
    }
}

/// <summary>A process's cgroup memberships from /proc/&lt;pid&gt;/cgroup (runc's GetOwnCgroup).</summary>
public sealed class ProcessCgroups
{
    private ProcessCgroups(IReadOnlyDictionary<string, string> v1, string? unified)
    {
        V1 = v1;
        Unified = unified;
    }

    /// <summary>Path per v1 controller ("memory" → "/user.slice"); named hierarchies as "name=systemd".</summary>
    public IReadOnlyDictionary<string, string> V1 { get; }

    /// <summary>The "0::/path" entry, if the process is in a cgroup2 hierarchy.</summary>
    public string? Unified { get; }

    public static ProcessCgroups Read(string path = "/proc/self/cgroup") => Parse(File.ReadAllText(path));

    public static ProcessCgroups Parse(string text)
    {
        var v1 = new Dictionary<string, string>(StringComparer.Ordinal);
        string? unified = null;
        foreach (string line in text.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            string[] parts = line.Split(':', 3);
            if (parts.Length != 3)
            {
                continue;
            }

            if (parts[0] == "0" && parts[1].Length == 0)
            {
                unified = parts[2];
                continue;
            }

            foreach (string controller in parts[1].Split(','))
            {
                v1[controller] = parts[2];
            }
        }

        return new ProcessCgroups(v1, unified);
    }
}
