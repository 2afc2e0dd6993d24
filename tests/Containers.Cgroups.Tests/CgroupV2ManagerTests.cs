using Containers.Interop;
using Containers.Runtime.Cgroups;
using static Containers.Cgroups.Tests.HostFixtures;

namespace Containers.Cgroups.Tests;

/// <summary>The unified manager against fixture files: what it writes where, and what it reads back.</summary>
public sealed class CgroupV2ManagerTests : IDisposable
{
    private readonly FixtureCgroupFileSystem _fs;
    private readonly ICgroupManager _manager;

    public CgroupV2ManagerTests() => (_fs, _manager) = Unified("ctr/one", ownCgroup: "/");

    public void Dispose() => _fs.Dispose();

    [Fact]
    public void Apply_enables_the_controllers_down_the_path_and_joins_the_pid()
    {
        _manager.Apply(4242);

        Assert.Equal(CgroupMode.Unified, _manager.Mode);
        Assert.Equal(Path.Join(_fs.Root, "unified", "ctr", "one"), _manager.Paths[""]);
        Assert.Equal("cpu cpuset hugetlb io memory pids", Read(_fs, "unified", "cgroup.subtree_control"));
        Assert.Equal("cpu cpuset hugetlb io memory pids", Read(_fs, "unified", "ctr", "cgroup.subtree_control"));
        Assert.Equal("4242", Read(_fs, "unified", "ctr", "one", "cgroup.procs"));
        Assert.Equal([4242], _manager.GetPids());
        Assert.True(_manager.Exists());
    }

    [Fact]
    public void Set_writes_each_controller_in_v2_terms()
    {
        _manager.Apply(0);
        _fs.Writes.Clear();

        _manager.Set(new CgroupResources
        {
            Memory = new CgroupMemory { Limit = 64 << 20, Swap = 96 << 20, Reservation = 32 << 20 },
            Cpu = new CgroupCpu { Shares = 1024, Quota = 50000, Period = 100000, Cpus = "0", Mems = "0" },
            Pids = new CgroupPids { Limit = 0 },
            BlockIo = new CgroupBlockIo { Weight = 500, ThrottleReadBpsDevice = [new CgroupThrottleDevice(8, 0, 1048576)] },
            HugepageLimits = [new CgroupHugepageLimit("2MB", 4194304)],
        });

        string dir = Path.Join("unified", "ctr", "one");
        Assert.Equal(
        [
            (Path.Join(dir, "pids.max"), "max"),
            (Path.Join(dir, "memory.swap.max"), (32 << 20).ToString()),
            (Path.Join(dir, "memory.max"), (64 << 20).ToString()),
            (Path.Join(dir, "memory.low"), (32 << 20).ToString()),
            (Path.Join(dir, "io.weight"), "default 4950"),
            (Path.Join(dir, "io.max"), "8:0 rbps=1048576"),
            (Path.Join(dir, "cpu.weight"), "100"),
            (Path.Join(dir, "cpu.max"), "50000 100000"),
            (Path.Join(dir, "cpuset.cpus"), "0"),
            (Path.Join(dir, "cpuset.mems"), "0"),
            (Path.Join(dir, "hugetlb.2MB.max"), "4194304"),
        ], _fs.Writes);
    }

    [Fact]
    public void Unlimited_memory_is_written_as_max_and_read_back_as_null()
    {
        _manager.Apply(0);
        var dir = new CgroupDirectory(_fs, _manager.Paths[""], CgroupVersion.V2);

        _manager.Set(new CgroupResources { Memory = new CgroupMemory { Limit = 1 << 20 } });
        Assert.Equal(1 << 20, MemoryController.ReadLimit(dir));

        _manager.Set(new CgroupResources { Memory = new CgroupMemory { Limit = -1 } });
        Assert.Equal("max", Read(_fs, "unified", "ctr", "one", "memory.max"));
        Assert.Equal("max", Read(_fs, "unified", "ctr", "one", "memory.swap.max"));
        Assert.Null(MemoryController.ReadLimit(dir));
    }

    [Fact]
    public void Realtime_and_v1_only_settings_are_refused_by_name()
    {
        _manager.Apply(0);

        Assert.Contains("realtime", Assert.Throws<NotSupportedException>(() =>
            _manager.Set(new CgroupResources { Cpu = new CgroupCpu { RealtimeRuntime = 1000 } })).Message, StringComparison.Ordinal);
        Assert.Contains("memory.swappiness", Assert.Throws<NotSupportedException>(() =>
            _manager.Set(new CgroupResources { Memory = new CgroupMemory { Swappiness = 10 } })).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Device_rules_without_a_bpf_filter_fail_clearly_and_are_kept_for_one()
    {
        _manager.Apply(0);
        var resources = new CgroupResources { Devices = [new CgroupDeviceRule(false), new CgroupDeviceRule(true, 'c', 1, 3, "rwm")] };

        var e = Assert.Throws<NotSupportedException>(() => _manager.Set(resources));

        Assert.Contains("BPF", e.Message, StringComparison.Ordinal);
        CgroupDeviceRules rules = ((CgroupV2Manager)_manager).DeviceRules!;
        Assert.False(rules.DefaultAllow);
        Assert.Single(rules.Rules);
    }

    [Fact]
    public void Unified_pairs_are_written_as_given_and_unknown_files_are_refused()
    {
        _manager.Apply(0);

        _manager.Set(new CgroupResources { Unified = new Dictionary<string, string> { ["memory.low"] = "12345" } });

        Assert.Equal("12345", Read(_fs, "unified", "ctr", "one", "memory.low"));
        Assert.Throws<NotSupportedException>(() => _manager.Set(new CgroupResources { Unified = new Dictionary<string, string> { ["memory.nope"] = "1" } }));
        Assert.Throws<ArgumentException>(() => _manager.Set(new CgroupResources { Unified = new Dictionary<string, string> { ["../memory.max"] = "1" } }));
    }

    [Fact]
    public void Stats_read_every_controller_in_common_units()
    {
        _manager.Apply(0);

        CgroupStats stats = _manager.GetStats();

        Assert.Equal(2_500_000UL, stats.Cpu!.UsageTotalNs);
        Assert.Equal(500_000UL, stats.Cpu.UsageKernelNs);
        Assert.Equal(300_000UL, stats.Cpu.ThrottledTimeNs);
        Assert.Equal(10485760UL, stats.Memory!.Usage);
        Assert.Equal(10485760UL + 4096, stats.Memory.SwapUsage);
        Assert.Equal(4194304UL, stats.Memory.Rss);
        Assert.Equal(2097152UL, stats.Memory.Cache);
        Assert.Equal(1UL, stats.Memory.OomKillCount);
        Assert.Equal(1048576UL, stats.Memory.Raw["kernel"]);
        Assert.Null(stats.Memory.Limit);
        Assert.Equal(new PidsStats(3, null), stats.Pids);
        Assert.Contains(new BlockIoEntry(8, 0, "Write", 2048), stats.BlockIo!.ServiceBytes);
        Assert.Contains(new BlockIoEntry(253, 1, "Read", 1), stats.BlockIo.Serviced);
        Assert.Equal(new HugetlbStats(2097152, null, 4), stats.Hugetlb["2MB"]);
        Assert.Equal(CgroupFreezerState.Thawed, stats.Freezer);
    }

    [Fact]
    public void Freeze_waits_for_cgroup_events_and_thaw_undoes_it()
    {
        _manager.Apply(0);

        _manager.Freeze();
        Assert.Equal("1", Read(_fs, "unified", "ctr", "one", "cgroup.freeze"));
        Assert.Equal(CgroupFreezerState.Frozen, _manager.GetFreezerState());

        _manager.Thaw();
        Assert.Equal(CgroupFreezerState.Thawed, _manager.GetFreezerState());
    }

    [Fact]
    public void Destroy_retries_while_the_cgroup_drains_then_leaves_nothing()
    {
        _manager.Apply(777);
        string procs = Path.Join(_manager.Paths[""], "cgroup.procs");

        // The "kernel" drains the exiting task a moment later: rmdir sees EBUSY until then.
        using var drained = Task.Delay(100).ContinueWith(_ => File.WriteAllText(procs, string.Empty), TaskScheduler.Default);
        _manager.Destroy();

        Assert.False(Directory.Exists(_manager.Paths[""]));
        Assert.False(_manager.Exists());
        Assert.True(Directory.Exists(Path.Join(_fs.Root, "unified", "ctr")), "only the container's own cgroup is removed");
        _manager.Destroy(); // idempotent
    }

    [Fact]
    public void Destroy_gives_up_with_ebusy_when_tasks_never_leave()
    {
        _manager.Apply(778);
        TimeSpan saved = CgroupRemover.Timeout;
        CgroupRemover.Timeout = TimeSpan.FromMilliseconds(50);
        try
        {
            var e = Assert.Throws<SyscallException>(_manager.Destroy);
            Assert.Equal(Errno.EBUSY, e.Errno);
            Assert.Contains(_manager.Paths[""], e.Message, StringComparison.Ordinal);
        }
        finally
        {
            CgroupRemover.Timeout = saved;
        }
    }

    [Fact]
    public void Child_cgroups_are_removed_first_and_their_pids_listed()
    {
        _manager.Apply(1);
        string child = Path.Join(_manager.Paths[""], "sub");
        _fs.CreateDirectory(child);
        File.WriteAllText(Path.Join(child, "cgroup.procs"), "2\n");

        Assert.Equal([1, 2], _manager.GetAllPids());
        File.WriteAllText(Path.Join(child, "cgroup.procs"), string.Empty);
        File.WriteAllText(Path.Join(_manager.Paths[""], "cgroup.procs"), string.Empty);
        _manager.Destroy();

        Assert.False(Directory.Exists(_manager.Paths[""]));
    }
}
