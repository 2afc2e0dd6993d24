using Containers.Cgroups;

namespace Containers.Runtime.Cgroups;

[CgroupFile("cpuset", "Cpus", CgroupValueKind.String, V1 = "cpuset.cpus", V2 = "cpuset.cpus")]
[CgroupFile("cpuset", "Mems", CgroupValueKind.String, V1 = "cpuset.mems", V2 = "cpuset.mems")]
[CgroupFile("cpuset", "EffectiveCpus", CgroupValueKind.String, V1 = "cpuset.effective_cpus", V2 = "cpuset.cpus.effective", ReadOnly = true)]
[CgroupFile("cpuset", "EffectiveMems", CgroupValueKind.String, V1 = "cpuset.effective_mems", V2 = "cpuset.mems.effective", ReadOnly = true)]
internal static partial class CpusetController
{
    public static void Set(CgroupDirectory dir, CgroupCpu? cpu)
    {
        if (cpu?.Cpus is { Length: > 0 } cpus)
        {
            WriteCpus(dir, cpus);
        }

        if (cpu?.Mems is { Length: > 0 } mems)
        {
            WriteMems(dir, mems);
        }
    }

    /// <summary>
    /// Creates a v1 cpuset cgroup and the missing directories above it. A new v1 cpuset starts with
    /// empty cpus and mems, and no task can join it until both are set (cpuset(7)): copy them from
    /// the parent, top down, as runc's ensureParent does.
    /// </summary>
    public static void CreateV1(ICgroupFileSystem fs, string mountPoint, string path)
    {
        string relative = Path.GetRelativePath(mountPoint, path);
        if (relative == ".")
        {
            return;
        }

        var parent = new CgroupDirectory(fs, mountPoint, CgroupVersion.V1);
        foreach (string part in relative.Split('/', StringSplitOptions.RemoveEmptyEntries))
        {
            var child = new CgroupDirectory(fs, Path.Join(parent.Path, part), CgroupVersion.V1);
            if (!fs.DirectoryExists(child.Path))
            {
                fs.CreateDirectory(child.Path);
            }

            if (ReadCpus(child).Trim().Length == 0)
            {
                WriteCpus(child, ReadCpus(parent).Trim());
            }

            if (ReadMems(child).Trim().Length == 0)
            {
                WriteMems(child, ReadMems(parent).Trim());
            }

            parent = child;
        }
    }

    /// <summary>
    /// runc's cpuset stats: the configured lists on v1, the effective ones on v2 (where cpuset.cpus is
    /// empty unless set).
    /// </summary>
    public static CpusetStats Stats(CgroupDirectory dir) => dir.Version == CgroupVersion.V1
        ? new CpusetStats(ParseList(ReadCpus(dir)), ParseList(ReadMems(dir)))
        : new CpusetStats(ParseList(ReadEffectiveCpus(dir)), ParseList(ReadEffectiveMems(dir)));

    /// <summary>A kernel list such as "0-2,5" as its members, ascending as the kernel prints them; "" is none.</summary>
    public static IReadOnlyList<int> ParseList(string text)
    {
        var values = new List<int>();
        foreach (string part in text.Trim().Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            int dash = part.IndexOf('-');
            int first = ParseMember(dash < 0 ? part : part[..dash], text);
            int last = dash < 0 ? first : ParseMember(part[(dash + 1)..], text);
            if (last < first)
            {
                throw new FormatException($"cpuset list \"{text.Trim()}\": range {part} runs backwards");
            }

            for (int v = first; v <= last; v++)
            {
                values.Add(v);
            }
        }

        return values;
    }

    private static int ParseMember(string s, string text) =>
        int.TryParse(s, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out int v)
            ? v : throw new FormatException($"cpuset list \"{text.Trim()}\": \"{s}\" is not a number");
}
