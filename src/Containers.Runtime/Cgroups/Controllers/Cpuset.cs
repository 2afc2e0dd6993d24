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
}
