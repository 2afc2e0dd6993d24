using Containers.Cgroups;

namespace Containers.Runtime.Cgroups;

// pids.max reads and takes "max" on v1 too (unlike memory's -1), hence a String file.
[CgroupFile("pids", "Max", CgroupValueKind.String, V1 = "pids.max", V2 = "pids.max")]
[CgroupFile("pids", "Current", CgroupValueKind.Integer, V1 = "pids.current", V2 = "pids.current", ReadOnly = true)]
internal static partial class PidsController
{
    public static void Set(CgroupDirectory dir, CgroupPids? pids)
    {
        if (pids is null)
        {
            return;
        }

        // runtime-spec 1.2: 0 or less is unlimited.
        WriteMax(dir, pids.Limit > 0 ? CgroupValue.FormatInteger(pids.Limit) : "max");
    }

    public static PidsStats Stats(CgroupDirectory dir)
    {
        string file = MaxFileName(dir.Version)!;
        return new PidsStats((ulong)ReadCurrent(dir), CgroupValue.ParseMaxInteger(ReadMax(dir), dir, file));
    }
}
