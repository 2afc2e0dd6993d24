using System.Text.Json.Nodes;

namespace Containers.Runtime.Tests.Integration;

/// <summary>cgroups v1 (this host is hybrid): limits enforced inside, files written on the host, removed on delete.</summary>
public sealed class CgroupTests(RuntimeFixture fixture) : IntegrationTest(fixture)
{
    private static void SetResources(Bundle bundle, string json) =>
        bundle.Linux["resources"] = JsonNode.Parse(json);

    private static string ReadCgroup(string controller, Bundle bundle, string file) =>
        File.ReadAllText(Path.Combine(RuntimeSandbox.HostCgroupDir(controller, bundle.CgroupsPath), file)).Trim();

    [Fact]
    public void Memory_limit_oom_kills_a_128_MiB_allocation()
    {
        // dd allocates its 128 MiB block and fills it from /dev/zero: resident memory, not page cache
        Bundle bundle = Sandbox.NewBundle(["dd", "if=/dev/zero", "of=/dev/null", "bs=128M", "count=1"],
            b => SetResources(b, """{ "memory": { "limit": 67108864, "swap": 67108864 } }"""));
        RunResult result = Sandbox.Run(bundle);
        Assert.True(result.ExitCode == 137, result.ToString());
    }

    [Fact]
    public void Memory_limit_lets_a_small_allocation_through()
    {
        Bundle bundle = Sandbox.NewBundle(["dd", "if=/dev/zero", "of=/dev/null", "bs=16M", "count=1"],
            b => SetResources(b, """{ "memory": { "limit": 67108864 } }"""));
        RunResult result = Sandbox.Run(bundle);
        Assert.True(result.ExitCode == 0, result.ToString());
    }

    [Fact]
    public void Pids_limit_stops_forks()
    {
        Bundle bundle = Sandbox.ShellBundle("i=0; while [ $i -lt 20 ]; do sleep 10 & i=$((i+1)); done; echo started; kill $(jobs -p) 2>/dev/null; true",
            b => SetResources(b, """{ "pids": { "limit": 10 } }"""));
        RunResult result = Sandbox.Run(bundle);
        string all = result.Stdout + result.Stderr;
        Assert.True(all.Contains("can't fork") || all.Contains("Resource temporarily unavailable"), result.ToString());
    }

    [Fact]
    public void Cgroup_files_are_written_on_the_host_and_removed_on_delete()
    {
        Bundle bundle = Sandbox.StartSleeper(b => SetResources(b, """
            {
              "memory": { "limit": 100663296, "reservation": 50331648 },
              "cpu": { "shares": 512, "quota": 50000, "period": 100000, "cpus": "0", "mems": "0" },
              "pids": { "limit": 42 }
            }
            """));
        int pid = Sandbox.Pid(bundle.Id);
        Assert.Equal("512", ReadCgroup("cpu", bundle, "cpu.shares"));
        Assert.Equal("50000", ReadCgroup("cpu", bundle, "cpu.cfs_quota_us"));
        Assert.Equal("100000", ReadCgroup("cpu", bundle, "cpu.cfs_period_us"));
        Assert.Equal("0", ReadCgroup("cpuset", bundle, "cpuset.cpus"));
        Assert.Equal("100663296", ReadCgroup("memory", bundle, "memory.limit_in_bytes"));
        Assert.Equal("50331648", ReadCgroup("memory", bundle, "memory.soft_limit_in_bytes"));
        Assert.Equal("42", ReadCgroup("pids", bundle, "pids.max"));
        foreach (string controller in new[] { "cpu", "memory", "pids", "freezer", "devices", "blkio", "cpuset", "cpuacct" })
        {
            Assert.Contains(pid.ToString(), ReadCgroup(controller, bundle, "cgroup.procs").Split('\n'));
        }

        // the container sees its own cgroup as the root (cgroup namespace)
        RunResult exec = Sandbox.Runtime("exec", bundle.Id, "cat", "/proc/self/cgroup");
        Assert.True(exec.ExitCode == 0, exec.ToString());
        Assert.Contains("memory:/\n", exec.Stdout);

        RunResult delete = Sandbox.Runtime("delete", "--force", bundle.Id);
        Assert.True(delete.ExitCode == 0, delete.ToString());
        foreach (string controller in RuntimeSandbox.CgroupControllers)
        {
            string dir = RuntimeSandbox.HostCgroupDir(controller, bundle.CgroupsPath);
            Assert.False(Directory.Exists(dir), $"{dir} left after delete");
        }
    }

    [Fact]
    public void Update_changes_limits_of_a_running_container()
    {
        Bundle bundle = Sandbox.StartSleeper(b => SetResources(b, """{ "pids": { "limit": 42 }, "memory": { "limit": 100663296 } }"""));
        RunResult update = Sandbox.Runtime("update", "--pids-limit", "77", "--memory", "134217728", bundle.Id);
        Assert.True(update.ExitCode == 0, update.ToString());
        Assert.Equal("77", ReadCgroup("pids", bundle, "pids.max"));
        Assert.Equal("134217728", ReadCgroup("memory", bundle, "memory.limit_in_bytes"));
    }

    [Fact]
    public void Absolute_cgroups_path_is_used_from_the_hierarchy_root()
    {
        string parent = $"/containers-it-{Environment.ProcessId}";
        string path = $"{parent}/{Sandbox.NewId()}";
        try
        {
            Bundle bundle = Sandbox.StartSleeper(b =>
            {
                b.Linux["cgroupsPath"] = path;
                SetResources(b, """{ "pids": { "limit": 33 } }""");
            });
            Assert.Equal("33", File.ReadAllText($"/sys/fs/cgroup/pids{path}/pids.max").Trim());
            Assert.Equal(0, Sandbox.Runtime("delete", "--force", bundle.Id).ExitCode);
            foreach (string controller in RuntimeSandbox.CgroupControllers)
            {
                Assert.False(Directory.Exists($"/sys/fs/cgroup/{controller}{path}"), $"{controller}{path} left after delete");
            }
        }
        finally
        {
            Sandbox.Dispose(); // the container first, then the parent the runtime created for it (ours to remove, like runc's)
            foreach (string controller in RuntimeSandbox.CgroupControllers)
            {
                if (Directory.Exists($"/sys/fs/cgroup/{controller}{parent}"))
                {
                    Directory.Delete($"/sys/fs/cgroup/{controller}{parent}");
                }
            }
        }
    }
}
