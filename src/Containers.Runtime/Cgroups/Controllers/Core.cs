using Containers.Cgroups;

namespace Containers.Runtime.Cgroups;

[CgroupFile("cgroup", "Procs", CgroupValueKind.List, V1 = "cgroup.procs", V2 = "cgroup.procs")]
[CgroupFile("cgroup", "Controllers", CgroupValueKind.String, V2 = "cgroup.controllers", ReadOnly = true)]
[CgroupFile("cgroup", "SubtreeControl", CgroupValueKind.String, V2 = "cgroup.subtree_control")]
internal static partial class CoreFiles
{
    public static IReadOnlyList<int> ReadPids(CgroupDirectory dir) =>
        ReadProcs(dir).Select(p => int.Parse(p, System.Globalization.CultureInfo.InvariantCulture)).ToArray();

    public static void AddProcess(CgroupDirectory dir, int pid) =>
        WriteProcs(dir, pid.ToString(System.Globalization.CultureInfo.InvariantCulture));

    /// <summary>Controllers usable in children of <paramref name="dir"/> (v2 cgroup.subtree_control).</summary>
    public static IReadOnlySet<string> EnabledForChildren(CgroupDirectory dir) =>
        HasSubtreeControl(dir)
            ? ReadSubtreeControl(dir).Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToHashSet(StringComparer.Ordinal)
            : new HashSet<string>();
}
