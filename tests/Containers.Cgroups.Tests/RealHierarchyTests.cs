using System.Diagnostics;
using Containers.Runtime.Cgroups;

namespace Containers.Cgroups.Tests;

/// <summary>
/// The real cgroup hierarchy of this host, as root: sub-cgroups named with a unique test prefix
/// under this process's own cgroups, a real /bin/sleep moved in, limited, frozen, killed, removed.
/// Only our own sub-cgroups and our own child process are touched.
/// </summary>
public sealed class RealHierarchyTests : IDisposable
{
    private readonly string _name = "containers-cgtest-" + Guid.NewGuid().ToString("N")[..10];
    private readonly ICgroupManager _manager;
    private Process? _sleep;

    public RealHierarchyTests()
    {
        Assert.True(Environment.UserName == "root" || geteuid() == 0, "these tests create real cgroups and must run as root");
        _manager = CgroupManagerFactory.Create(_name);
    }

    public void Dispose()
    {
        try
        {
            if (_sleep is { HasExited: false })
            {
                _sleep.Kill();
                _sleep.WaitForExit();
            }
        }
        finally
        {
            _sleep?.Dispose();
            _manager.Destroy();
        }
    }

    [Fact]
    public void Limit_join_stats_freeze_kill_and_destroy_a_real_process()
    {
        // A shell that execs sleep once told to: the exec happens inside the cgroups, so its memory
        // and CPU are charged there (v1 does not move charges of pages allocated before joining).
        _sleep = Process.Start(new ProcessStartInfo("/bin/sh", ["-c", "read go; exec /bin/sleep 300"]) { UseShellExecute = false, RedirectStandardInput = true })!;
        int pid = _sleep.Id;

        _manager.Apply(pid);
        _sleep.StandardInput.WriteLine("go");
        _sleep.StandardInput.Flush();
        WaitFor(() => File.ReadAllText($"/proc/{pid}/comm").Trim() == "sleep", "sleep was exec'd");
        Assert.True(_manager.Exists());
        Assert.All(_manager.Paths.Values, path => Assert.EndsWith("/" + _name, path, StringComparison.Ordinal));
        AssertPathsUnderOwnCgroups();

        _manager.Set(new CgroupResources
        {
            Memory = new CgroupMemory { Limit = 64 << 20 },
            Pids = new CgroupPids { Limit = 32 },
            Cpu = new CgroupCpu { Shares = 512, Quota = 50000, Period = 100000, Cpus = "0" },
            Devices = [new CgroupDeviceRule(false), new CgroupDeviceRule(true, 'c', 1, 3, "rwm")],
        });

        // Read back from the kernel's files, not through the manager.
        if (_manager.Mode == CgroupMode.Unified)
        {
            Assert.Equal((64 << 20).ToString(), File.ReadAllText(Path.Join(_manager.Paths[""], "memory.max")).Trim());
        }
        else
        {
            Assert.Equal((64 << 20).ToString(), File.ReadAllText(Path.Join(_manager.Paths["memory"], "memory.limit_in_bytes")).Trim());
            Assert.Equal("32", File.ReadAllText(Path.Join(_manager.Paths["pids"], "pids.max")).Trim());
            Assert.Equal("512", File.ReadAllText(Path.Join(_manager.Paths["cpu"], "cpu.shares")).Trim());
            Assert.Equal("0", File.ReadAllText(Path.Join(_manager.Paths["cpuset"], "cpuset.cpus")).Trim());
            Assert.Equal("c 1:3 rwm", File.ReadAllText(Path.Join(_manager.Paths["devices"], "devices.list")).Trim());
        }

        Assert.Contains(pid, _manager.GetPids());
        Assert.Contains(pid, _manager.GetAllPids());
        Assert.All(ProcessCgroups.Parse(File.ReadAllText($"/proc/{pid}/cgroup")).V1.Where(c => c.Key is "memory" or "pids" or "freezer"),
            c => Assert.EndsWith("/" + _name, c.Value, StringComparison.Ordinal));

        CgroupStats stats = _manager.GetStats();
        Assert.True(stats.Memory!.Usage > 0, "a running process uses memory");
        Assert.Equal(64L << 20, stats.Memory.Limit);
        Assert.Equal(1UL, stats.Pids!.Current);
        Assert.Equal(32L, stats.Pids.Limit);
        Assert.True(stats.Cpu!.UsageTotalNs > 0, "exec of sleep took some CPU");
        Assert.Equal(CgroupFreezerState.Thawed, stats.Freezer);

        Assert.Equal('S', ProcessState(pid));
        _manager.Freeze();
        Assert.Equal(CgroupFreezerState.Frozen, _manager.GetFreezerState());
        char frozen = ProcessState(pid);
        Assert.NotEqual('S', frozen); // frozen tasks report D (TASK_FROZEN) rather than sleeping
        _manager.Thaw();
        Assert.Equal(CgroupFreezerState.Thawed, _manager.GetFreezerState());
        Assert.Equal('S', WaitForState(pid, 'S'));

        _sleep.Kill();
        _sleep.WaitForExit();
        _manager.Destroy();

        Assert.False(_manager.Exists());
        Assert.All(_manager.Paths.Values, path => Assert.False(Directory.Exists(path), path));
    }

    [Fact]
    public void A_limit_the_kernel_refuses_names_the_file_value_and_errno()
    {
        _manager.Apply(0);
        if (_manager.Mode == CgroupMode.Unified)
        {
            return;
        }

        var e = Assert.Throws<Containers.Interop.SyscallException>(() =>
            _manager.Set(new CgroupResources { Cpu = new CgroupCpu { Quota = 500, Period = 100000 } }));

        Assert.Contains(Path.Join(_manager.Paths["cpu"], "cpu.cfs_quota_us"), e.Message, StringComparison.Ordinal);
        Assert.Contains("\"500\"", e.Message, StringComparison.Ordinal);
        Assert.Contains("EINVAL", e.Message, StringComparison.Ordinal);
    }

    private void AssertPathsUnderOwnCgroups()
    {
        ProcessCgroups own = ProcessCgroups.Read();
        CgroupMounts mounts = CgroupMounts.Read();
        foreach ((string controller, CgroupMount mount) in mounts.V1)
        {
            string ownPath = own.V1.GetValueOrDefault(controller, "/");
            Assert.Equal(Path.Join(mount.MountPoint, ownPath, _name), _manager.Paths[controller]);
        }
    }

    private static char ProcessState(int pid)
    {
        string line = File.ReadLines($"/proc/{pid}/status").First(l => l.StartsWith("State:", StringComparison.Ordinal));
        return line["State:".Length..].Trim()[0];
    }

    private static void WaitFor(Func<bool> condition, string what)
    {
        var watch = Stopwatch.StartNew();
        while (!condition())
        {
            Assert.True(watch.Elapsed < TimeSpan.FromSeconds(10), "timed out waiting: " + what);
            Thread.Sleep(5);
        }
    }

    private static char WaitForState(int pid, char state)
    {
        var watch = Stopwatch.StartNew();
        char current;
        while ((current = ProcessState(pid)) != state && watch.Elapsed < TimeSpan.FromSeconds(5))
        {
            Thread.Sleep(10);
        }

        return current;
    }

    [System.Runtime.InteropServices.DllImport("libc")]
    private static extern uint geteuid();
}
