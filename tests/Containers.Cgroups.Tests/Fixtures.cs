using Containers.Runtime.Cgroups;

namespace Containers.Cgroups.Tests;

/// <summary>Host layouts built from fixture files: a v2 host, and a hybrid host like ours.</summary>
internal static class HostFixtures
{
    public static readonly string[] V1Controllers = ["memory", "cpu", "cpuacct", "cpuset", "pids", "blkio", "devices", "freezer", "hugetlb"];

    public static (FixtureCgroupFileSystem Fs, ICgroupManager Manager) Unified(string cgroupsPath, string ownCgroup = "/")
    {
        var fs = new FixtureCgroupFileSystem(_ => "v2");
        fs.AddHierarchy("unified", "v2");
        CgroupMounts mounts = CgroupMounts.Parse(fs.MountLine(30, "unified", "cgroup2", "rw,nsdelegate,memory_recursiveprot") + "\n");
        ProcessCgroups own = ProcessCgroups.Parse($"0::{ownCgroup}\n");
        ICgroupManager manager = CgroupManagerFactory.Create(cgroupsPath, mounts, own, Options(fs));
        return (fs, manager);
    }

    /// <summary>v1 controllers each on its own mount (cpu and cpuacct apart, as here), cgroup2 at "unified".</summary>
    public static (FixtureCgroupFileSystem Fs, ICgroupManager Manager) Hybrid(string cgroupsPath, bool withV1Hugetlb = true)
    {
        var fs = new FixtureCgroupFileSystem(top => top == "unified" ? "v2" : "v1/" + top);
        var lines = new List<string>();
        int id = 32;
        foreach (string controller in V1Controllers.Where(c => withV1Hugetlb || c != "hugetlb"))
        {
            fs.AddHierarchy(controller, "v1/" + controller);
            lines.Add(fs.MountLine(id++, controller, "cgroup", "rw," + controller));
        }

        fs.AddHierarchy("systemd", "v1/systemd");
        lines.Add(fs.MountLine(id++, "systemd", "cgroup", "rw,xattr,name=systemd"));
        string unified = fs.AddHierarchy("unified", "v2");
        File.WriteAllText(Path.Join(unified, "cgroup.controllers"), "hugetlb\n");
        lines.Add(fs.MountLine(id, "unified", "cgroup2", "rw"));
        File.WriteAllText(Path.Join(fs.Root, "cpuset", "cpuset.cpus"), "0-1\n");
        File.WriteAllText(Path.Join(fs.Root, "cpuset", "cpuset.mems"), "0\n");

        CgroupMounts mounts = CgroupMounts.Parse(string.Join('\n', lines) + "\n");
        ProcessCgroups own = ProcessCgroups.Parse(
            "9:name=systemd:/\n8:pids:/\n7:blkio:/\n6:freezer:/\n5:devices:/\n4:memory:/process_api/abc\n3:cpuset:/\n2:cpuacct:/\n1:cpu:/\n0::/\n");
        Directory.CreateDirectory(Path.Join(fs.Root, "memory", "process_api", "abc"));
        ICgroupManager manager = CgroupManagerFactory.Create(cgroupsPath, mounts, own, Options(fs));
        return (fs, manager);
    }

    private static CgroupManagerOptions Options(FixtureCgroupFileSystem fs) => new() { FileSystem = fs, HugePageSizes = ["2MB"], DeviceFilter = null };

    public static string Read(FixtureCgroupFileSystem fs, params string[] parts) =>
        File.ReadAllText(Path.Join([fs.Root, .. parts])).TrimEnd('\n');

    public static void Write(FixtureCgroupFileSystem fs, string value, params string[] parts) =>
        File.WriteAllText(Path.Join([fs.Root, .. parts]), value);
}
