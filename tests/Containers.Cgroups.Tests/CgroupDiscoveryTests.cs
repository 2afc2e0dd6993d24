using Containers.Runtime.Cgroups;

namespace Containers.Cgroups.Tests;

public class CgroupDiscoveryTests
{
    // This machine's /proc/self/mountinfo, cgroup lines plus neighbours.
    private const string HybridMountInfo = """
        22 1 8:1 / / rw,relatime - ext4 /dev/sda1 rw
        31 23 0:28 / /sys/fs/cgroup rw,relatime - tmpfs tmpfs rw,mode=755
        32 31 0:29 / /sys/fs/cgroup/cpu rw,relatime - cgroup cgroup rw,cpu
        33 31 0:30 / /sys/fs/cgroup/cpuacct rw,relatime - cgroup cgroup rw,cpuacct
        34 31 0:31 / /sys/fs/cgroup/cpuset rw,relatime - cgroup cgroup rw,cpuset
        35 31 0:32 / /sys/fs/cgroup/memory rw,relatime - cgroup cgroup rw,memory
        40 31 0:37 / /sys/fs/cgroup/systemd rw,relatime - cgroup cgroup rw,name=systemd
        41 31 0:38 / /sys/fs/cgroup/unified rw,relatime - cgroup2 cgroup2 rw
        """;

    [Fact]
    public void Hybrid_layout_keeps_cpu_and_cpuacct_apart()
    {
        CgroupMounts mounts = CgroupMounts.Parse(HybridMountInfo);

        Assert.Equal(CgroupMode.Hybrid, mounts.Mode);
        Assert.Equal("/sys/fs/cgroup/cpu", mounts.V1["cpu"].MountPoint);
        Assert.Equal("/sys/fs/cgroup/cpuacct", mounts.V1["cpuacct"].MountPoint);
        Assert.Equal("/sys/fs/cgroup/systemd", mounts.V1["name=systemd"].MountPoint);
        Assert.Equal("/sys/fs/cgroup/unified", mounts.Unified!.MountPoint);
    }

    [Fact]
    public void Unified_layout_and_legacy_layout_are_told_apart_by_mounts()
    {
        CgroupMounts unified = CgroupMounts.Parse("30 23 0:26 / /sys/fs/cgroup rw - cgroup2 cgroup2 rw,nsdelegate\n");
        CgroupMounts legacy = CgroupMounts.Parse("32 31 0:29 / /sys/fs/cgroup/cpu,cpuacct rw - cgroup cgroup rw,cpu,cpuacct\n");
        CgroupMounts namedOnly = CgroupMounts.Parse(
            "40 31 0:37 / /sys/fs/cgroup/systemd rw - cgroup cgroup rw,name=systemd\n41 31 0:38 / /sys/fs/cgroup/unified rw - cgroup2 cgroup2 rw\n");

        Assert.Equal(CgroupMode.Unified, unified.Mode);
        Assert.Equal(CgroupMode.Legacy, legacy.Mode);
        Assert.Same(legacy.V1["cpu"], legacy.V1["cpuacct"]);
        Assert.Equal(CgroupMode.Unified, namedOnly.Mode);
    }

    [Fact]
    public void Mount_points_with_escaped_spaces_are_unescaped()
    {
        CgroupMounts mounts = CgroupMounts.Parse("30 23 0:26 / /tmp/my\\040cgroups rw - cgroup2 cgroup2 rw\n");

        Assert.Equal("/tmp/my cgroups", mounts.Unified!.MountPoint);
    }

    [Fact]
    public void Own_cgroups_are_read_per_controller()
    {
        ProcessCgroups own = ProcessCgroups.Parse("4:memory:/process_api/abc\n2:cpu,cpuacct:/a\n9:name=systemd:/\n0::/user.slice\n");

        Assert.Equal("/process_api/abc", own.V1["memory"]);
        Assert.Equal("/a", own.V1["cpuacct"]);
        Assert.Equal("/", own.V1["name=systemd"]);
        Assert.Equal("/user.slice", own.Unified);
    }

    [Theory]
    [InlineData("ctr", "/process_api/abc", "/", "/sys/fs/cgroup/memory/process_api/abc/ctr")]
    [InlineData("/ctr/x", "/process_api/abc", "/", "/sys/fs/cgroup/memory/ctr/x")]
    [InlineData("ctr", "/", "/", "/sys/fs/cgroup/memory/ctr")]
    // Inside a cgroup namespace or a bind mount the mount's root is not "/".
    [InlineData("ctr", "/kubepods/pod1", "/kubepods/pod1", "/sys/fs/cgroup/memory/ctr")]
    [InlineData("/kubepods/pod1/ctr", "/", "/kubepods/pod1", "/sys/fs/cgroup/memory/ctr")]
    public void Relative_paths_land_under_the_own_cgroup_and_absolute_ones_under_the_root(string cgroupsPath, string own, string mountRoot, string expected)
    {
        var mount = new CgroupMount("/sys/fs/cgroup/memory", mountRoot, CgroupVersion.V1, ["memory"]);

        Assert.Equal(expected, CgroupPaths.Resolve(mount, own, cgroupsPath));
    }

    [Theory]
    [InlineData("")]
    [InlineData("/")]
    [InlineData("../escape")]
    [InlineData("a/../../b")]
    public void Paths_that_are_empty_root_or_escape_are_refused(string cgroupsPath)
    {
        var e = Assert.Throws<ArgumentException>(() => CgroupPaths.Validate(cgroupsPath));
        Assert.StartsWith("linux.cgroupsPath", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Systemd_driver_without_systemd_says_what_pid_1_is()
    {
        string proc = Path.Join(Path.GetTempPath(), "proc-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(Path.Join(proc, "1"));
        try
        {
            File.WriteAllText(Path.Join(proc, "1", "comm"), "dumb-init\n");

            var e = Assert.Throws<InvalidOperationException>(() => CgroupDriverCheck.EnsureAvailable(CgroupDriver.Systemd, proc));

            Assert.StartsWith("systemd cgroup driver requested, but systemd is not running (PID 1 is dumb-init)", e.Message, StringComparison.Ordinal);
            CgroupDriverCheck.EnsureAvailable(CgroupDriver.Cgroupfs, proc);
        }
        finally
        {
            Directory.Delete(proc, recursive: true);
        }
    }

    [Fact]
    public void Systemd_driver_on_this_host_reports_the_real_pid_1()
    {
        string pid1 = File.ReadAllText("/proc/1/comm").Trim();
        if (pid1 == "systemd")
        {
            Assert.Throws<NotSupportedException>(() => CgroupDriverCheck.EnsureAvailable(CgroupDriver.Systemd));
            return;
        }

        var e = Assert.Throws<InvalidOperationException>(() => CgroupDriverCheck.EnsureAvailable(CgroupDriver.Systemd));
        Assert.Contains($"(PID 1 is {pid1})", e.Message, StringComparison.Ordinal);
    }
}
