using Containers.Runtime.Cgroups;
using static Containers.Cgroups.Tests.HostFixtures;

namespace Containers.Cgroups.Tests;

/// <summary>The hybrid manager (v1 controllers, cgroup2 joined) against fixture files shaped like this host.</summary>
public sealed class CgroupV1ManagerTests : IDisposable
{
    private readonly FixtureCgroupFileSystem _fs;
    private readonly ICgroupManager _manager;

    public CgroupV1ManagerTests() => (_fs, _manager) = Hybrid("ctr");

    public void Dispose() => _fs.Dispose();

    [Fact]
    public void Paths_follow_the_own_cgroup_of_each_controller()
    {
        Assert.Equal(CgroupMode.Hybrid, _manager.Mode);
        Assert.Equal(Path.Join(_fs.Root, "memory", "process_api", "abc", "ctr"), _manager.Paths["memory"]);
        Assert.Equal(Path.Join(_fs.Root, "cpu", "ctr"), _manager.Paths["cpu"]);
        Assert.Equal(Path.Join(_fs.Root, "cpuacct", "ctr"), _manager.Paths["cpuacct"]);
        Assert.Equal(Path.Join(_fs.Root, "systemd", "ctr"), _manager.Paths["name=systemd"]);
        Assert.Equal(Path.Join(_fs.Root, "unified", "ctr"), _manager.Paths[""]);
    }

    [Fact]
    public void Apply_joins_every_hierarchy_and_copies_cpuset_from_the_parent()
    {
        _manager.Apply(4242);

        foreach (string path in _manager.Paths.Values)
        {
            Assert.Equal("4242", File.ReadAllText(Path.Join(path, "cgroup.procs")).Trim());
        }

        Assert.Equal("0-1", Read(_fs, "cpuset", "ctr", "cpuset.cpus"));
        Assert.Equal("0", Read(_fs, "cpuset", "ctr", "cpuset.mems"));
        int cpus = _fs.Writes.IndexOf((Path.Join("cpuset", "ctr", "cpuset.cpus"), "0-1"));
        int join = _fs.Writes.IndexOf((Path.Join("cpuset", "ctr", "cgroup.procs"), "4242"));
        Assert.True(cpus >= 0 && cpus < join, "cpus/mems are set before the task joins");
        Assert.Equal("", Read(_fs, "unified", "cgroup.subtree_control")); // never enables controllers on the host's cgroup2 root
    }

    [Fact]
    public void Memory_and_swap_are_written_in_the_order_the_kernel_accepts()
    {
        _manager.Apply(0);
        string dir = _manager.Paths["memory"];
        File.WriteAllText(Path.Join(dir, "memory.limit_in_bytes"), "1073741824\n");

        // Shrinking: memory first, then memory+swap.
        _fs.Writes.Clear();
        _manager.Set(new CgroupResources { Memory = new CgroupMemory { Limit = 100 << 20, Swap = 200 << 20 } });
        Assert.Equal(["memory.limit_in_bytes", "memory.memsw.limit_in_bytes"], _fs.Writes.Select(w => Path.GetFileName(w.Path)));

        // Growing beyond the current limit: memory+swap first.
        _fs.Writes.Clear();
        _manager.Set(new CgroupResources { Memory = new CgroupMemory { Limit = 300 << 20, Swap = 400 << 20 } });
        Assert.Equal(["memory.memsw.limit_in_bytes", "memory.limit_in_bytes"], _fs.Writes.Select(w => Path.GetFileName(w.Path)));

        // Unlimited memory makes swap unlimited too.
        _manager.Set(new CgroupResources { Memory = new CgroupMemory { Limit = -1 } });
        Assert.Equal("-1", Read(_fs, "memory", "process_api", "abc", "ctr", "memory.limit_in_bytes"));
        Assert.Equal("-1", Read(_fs, "memory", "process_api", "abc", "ctr", "memory.memsw.limit_in_bytes"));
    }

    [Fact]
    public void Set_writes_v1_files_for_every_controller()
    {
        _manager.Apply(0);
        _fs.Writes.Clear();

        _manager.Set(new CgroupResources
        {
            Devices = [new CgroupDeviceRule(false), new CgroupDeviceRule(true, 'c', 1, 3, "rwm")],
            Memory = new CgroupMemory { Reservation = 1 << 20, Swappiness = 10, DisableOomKiller = true },
            Cpu = new CgroupCpu { Shares = 512, Quota = 20000, Period = 50000, Cpus = "1" },
            Pids = new CgroupPids { Limit = 64 },
            BlockIo = new CgroupBlockIo { Weight = 300, ThrottleWriteIopsDevice = [new CgroupThrottleDevice(8, 0, 100)] },
            HugepageLimits = [new CgroupHugepageLimit("2MB", 2097152)],
        });

        Assert.Equal(
        [
            ("cpuset/ctr/cpuset.cpus", "1"),
            ("devices/ctr/devices.deny", "a *:* rwm"),
            ("devices/ctr/devices.allow", "c 1:3 rwm"),
            ("memory/process_api/abc/ctr/memory.soft_limit_in_bytes", "1048576"),
            ("memory/process_api/abc/ctr/memory.swappiness", "10"),
            ("memory/process_api/abc/ctr/memory.oom_control", "1"),
            ("cpu/ctr/cpu.shares", "512"),
            ("cpu/ctr/cpu.cfs_period_us", "50000"),
            ("cpu/ctr/cpu.cfs_quota_us", "20000"),
            ("pids/ctr/pids.max", "64"),
            ("blkio/ctr/blkio.bfq.weight", "300"),
            ("blkio/ctr/blkio.throttle.write_iops_device", "8:0 100"),
            ("hugetlb/ctr/hugetlb.2MB.limit_in_bytes", "2097152"),
        ], _fs.Writes);
    }

    [Fact]
    public void Cpu_shares_the_kernel_clamped_are_reported()
    {
        _manager.Apply(0);
        string shares = Path.Join(_manager.Paths["cpu"], "cpu.shares");

        // The fake keeps what is written; simulate the kernel's clamp by a file that reads 262144.
        var clamping = new ClampingFileSystem(_fs, shares, "262144");
        var manager = new CgroupV1Manager(
            new Dictionary<string, string> { ["cpu"] = _manager.Paths["cpu"] },
            new Dictionary<string, CgroupMount>(),
            clamping,
            []);

        var e = Assert.Throws<ArgumentOutOfRangeException>(() => manager.Set(new CgroupResources { Cpu = new CgroupCpu { Shares = 500000 } }));
        Assert.Contains("the maximum allowed cpu-shares is 262144", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Unified_resources_are_refused_on_v1()
    {
        var e = Assert.Throws<NotSupportedException>(() =>
            _manager.Set(new CgroupResources { Unified = new Dictionary<string, string> { ["memory.high"] = "1" } }));
        Assert.Contains("cgroup v2", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Stats_combine_cpu_and_cpuacct_and_read_the_oom_kill_count()
    {
        _manager.Apply(0);

        CgroupStats stats = _manager.GetStats();

        Assert.Equal(5_000_000UL, stats.Cpu!.UsageTotalNs);
        Assert.Equal(1_000_000UL, stats.Cpu.UsageKernelNs);
        Assert.Equal([3_000_000UL, 2_000_000UL], stats.Cpu.PerCpuUsageNs);
        Assert.Equal(300_000UL, stats.Cpu.ThrottledTimeNs);
        Assert.Equal(2UL, stats.Cpu.ThrottledPeriods);
        Assert.Equal(8388608UL, stats.Memory!.Usage);
        Assert.Equal(16777216UL, stats.Memory.MaxUsage);
        Assert.Equal(7UL, stats.Memory.Failcnt);
        Assert.Equal(9437184UL, stats.Memory.SwapUsage);
        Assert.Equal(5242880UL, stats.Memory.Rss);
        Assert.Equal(3145728UL, stats.Memory.Cache);
        Assert.Equal(2UL, stats.Memory.OomKillCount);
        Assert.False(stats.Memory.UnderOom);
        Assert.Null(stats.Memory.Limit);
        Assert.Equal(new PidsStats(2, null), stats.Pids);
        Assert.Contains(new BlockIoEntry(8, 0, "Read", 4096), stats.BlockIo!.ServiceBytes);
        Assert.Contains(new BlockIoEntry(8, 0, "Write", 2), stats.BlockIo.Serviced);
        Assert.All(stats.BlockIo.ServiceBytes, e => Assert.Equal(8, e.Major)); // "Total 12288" names no device
        Assert.Equal(new HugetlbStats(0, 0, 0), stats.Hugetlb["2MB"]);
        Assert.Equal(CgroupFreezerState.Thawed, stats.Freezer);
    }

    [Fact]
    public void Freeze_writes_frozen_and_waits_for_the_state_to_settle()
    {
        _manager.Apply(0);

        _manager.Freeze();
        Assert.Equal("FROZEN", Read(_fs, "freezer", "ctr", "freezer.state"));
        Assert.Equal(CgroupFreezerState.Frozen, _manager.GetFreezerState());

        _manager.Thaw();
        Assert.Equal(CgroupFreezerState.Thawed, _manager.GetFreezerState());
    }

    [Fact]
    public void Destroy_removes_every_hierarchy_including_cgroup2()
    {
        _manager.Apply(0);

        _manager.Destroy();

        Assert.All(_manager.Paths.Values, path => Assert.False(Directory.Exists(path), path));
        Assert.True(Directory.Exists(Path.Join(_fs.Root, "memory", "process_api", "abc")), "the runtime's own cgroup stays");
    }

    [Fact]
    public void Hugetlb_missing_from_v1_and_not_enabled_in_cgroup2_is_a_clear_error()
    {
        (FixtureCgroupFileSystem fs, ICgroupManager manager) = Hybrid("ctr", withV1Hugetlb: false);
        using (fs)
        {
            manager.Apply(0);

            var e = Assert.Throws<NotSupportedException>(() =>
                manager.Set(new CgroupResources { HugepageLimits = [new CgroupHugepageLimit("2MB", 2097152)] }));

            Assert.Contains("cgroup.subtree_control lacks +hugetlb", e.Message, StringComparison.Ordinal);
        }
    }

    /// <summary>Reads a fixed value from one file, as the kernel does after clamping.</summary>
    private sealed class ClampingFileSystem(ICgroupFileSystem inner, string path, string value) : ICgroupFileSystem
    {
        public string ReadFile(string p) => p == path ? value + "\n" : inner.ReadFile(p);

        public void WriteFile(string p, string v) => inner.WriteFile(p, v);

        public bool FileExists(string p) => inner.FileExists(p);

        public bool DirectoryExists(string p) => inner.DirectoryExists(p);

        public void CreateDirectory(string p) => inner.CreateDirectory(p);

        public void RemoveDirectory(string p) => inner.RemoveDirectory(p);

        public IEnumerable<string> EnumerateDirectories(string p) => inner.EnumerateDirectories(p);
    }
}
