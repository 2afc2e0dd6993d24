using System.Text.Json.Nodes;

namespace Containers.Runtime.Tests.Integration;

/// <summary>/dev (defaults, spec devices, the devices cgroup), joining namespaces by path, kill --all, --no-pivot, CVE-2024-21626.</summary>
public sealed class DeviceAndNamespaceTests(RuntimeFixture fixture) : IntegrationTest(fixture)
{
    private static string[] Lines(string text) =>
        text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    [Fact]
    public void Default_dev_has_the_standard_nodes_and_links()
    {
        string output = Sandbox.RunShell(
            "for d in null zero full random urandom tty ptmx; do test -c /dev/$d && echo $d; done; " +
            "for l in fd stdin stdout stderr; do test -L /dev/$l && echo $l; done; test -d /dev/shm && echo shm; test -d /dev/pts && echo pts; " +
            "echo x > /dev/null && echo null-writable; head -c 16 /dev/urandom | wc -c");
        Assert.Equal(["null", "zero", "full", "random", "urandom", "tty", "ptmx", "fd", "stdin", "stdout", "stderr", "shm", "pts", "null-writable", "16"],
            Lines(output));
    }

    [Fact]
    public void Devices_cgroup_denies_a_device_not_in_the_allow_list()
    {
        // CAP_MKNOD lets the node be made; the devices cgroup (default deny) refuses to open it
        string output = Sandbox.RunShell("mknod /dev/sdz b 8 0 && echo made; head -c 1 /dev/sdz 2>&1; echo rc=$?");
        string[] lines = Lines(output);
        Assert.Equal("made", lines[0]);
        Assert.Contains("Operation not permitted", output);
        Assert.DoesNotContain("rc=0", output);
    }

    [Fact]
    public void Spec_device_is_created_with_its_mode_and_allowed()
    {
        string output = Sandbox.RunShell("stat -c '%F %t:%T %a %u:%g' /dev/fuse; head -c 0 /dev/fuse 2>&1; echo rc=$?", b =>
        {
            b.Linux["devices"] = new JsonArray(new JsonObject
            {
                ["path"] = "/dev/fuse", ["type"] = "c", ["major"] = 10, ["minor"] = 229, ["fileMode"] = 438, ["uid"] = 0, ["gid"] = 0,
            });
            b.Linux["resources"]!["devices"]!.AsArray().Add(new JsonObject
            {
                ["allow"] = true, ["type"] = "c", ["major"] = 10, ["minor"] = 229, ["access"] = "rwm",
            });
        });
        string[] lines = Lines(output);
        Assert.Equal("character special file a:e5 666 0:0", lines[0]);
        Assert.DoesNotContain("Operation not permitted", output);
    }

    [Fact]
    public void Joining_another_containers_namespaces_by_path()
    {
        Bundle first = Sandbox.StartSleeper(b => b.Config["hostname"] = "first-host");
        int pid = Sandbox.Pid(first.Id);
        string output = Sandbox.RunShell("hostname; readlink /proc/self/ns/net; readlink /proc/self/ns/uts; readlink /proc/self/ns/ipc", b =>
        {
            b.Config.Remove("hostname"); // a joined uts namespace keeps its name
            foreach (JsonNode? ns in b.Linux["namespaces"]!.AsArray())
            {
                if (ns!["type"]!.GetValue<string>() is "network" or "uts")
                {
                    ns["path"] = $"/proc/{pid}/ns/{(ns["type"]!.GetValue<string>() == "network" ? "net" : "uts")}";
                }
            }
        });
        string[] lines = Lines(output);
        Assert.Equal("first-host", lines[0]);
        Assert.Equal(new FileInfo($"/proc/{pid}/ns/net").LinkTarget, lines[1]);
        Assert.Equal(new FileInfo($"/proc/{pid}/ns/uts").LinkTarget, lines[2]);
        Assert.NotEqual(new FileInfo($"/proc/{pid}/ns/ipc").LinkTarget, lines[3]);
    }

    [Fact]
    public void Kill_all_signals_every_process()
    {
        Bundle bundle = Sandbox.StartSleeper(b => b.Process["args"] = new JsonArray("sh", "-c", "sleep 600 & sleep 600 & sleep 600"));
        Thread.Sleep(200);
        string procs = File.ReadAllText(Path.Combine(RuntimeSandbox.HostCgroupDir("pids", bundle.CgroupsPath), "cgroup.procs"));
        Assert.True(Lines(procs).Length >= 3, "processes in the cgroup: " + procs);
        RunResult kill = Sandbox.Runtime("kill", "--all", bundle.Id, "KILL");
        Assert.True(kill.ExitCode == 0, kill.ToString());
        Sandbox.WaitForStatus(bundle.Id, "stopped");
        Assert.Equal(0, Sandbox.Runtime("delete", bundle.Id).ExitCode);
        Sandbox.AssertNothingLeft(bundle);
    }

    [Fact]
    public void No_pivot_runs_with_chroot()
    {
        Bundle bundle = Sandbox.ShellBundle("ls /; hostname");
        RunResult run = Sandbox.Runtime("run", "--no-pivot", "--bundle", bundle.Dir, bundle.Id);
        Assert.True(run.ExitCode == 0, run.ToString());
        string[] lines = Lines(run.Stdout);
        Assert.Contains("bin", lines);
        Assert.DoesNotContain("boot", lines); // the host's root is not what it sees
        Assert.Equal("containers", lines[^1]);
    }

    [Fact]
    public void Cwd_through_a_leaked_fd_does_not_escape_CVE_2024_21626()
    {
        for (int fd = 3; fd <= 12; fd++)
        {
            Bundle bundle = Sandbox.ShellBundle("cat ../../../../../../etc/passwd; pwd", b => b.Process["cwd"] = $"/proc/self/fd/{fd}");
            RunResult run = Sandbox.Run(bundle);
            Assert.DoesNotContain("daemon:", run.Stdout); // the host's /etc/passwd has it, the container's does not
        }
    }

    [Fact]
    public void Exec_detach_writes_the_pid_file()
    {
        Bundle bundle = Sandbox.StartSleeper();
        string pidFile = Path.Combine(Sandbox.Dir, "exec.pid");
        RunResult exec = Sandbox.Runtime("exec", "--detach", "--pid-file", pidFile, bundle.Id, "sleep", "300");
        Assert.True(exec.ExitCode == 0, exec.ToString());
        int pid = int.Parse(File.ReadAllText(pidFile).Trim());
        // like runc, exec --detach may return just before the execve: give it a moment
        var watch = System.Diagnostics.Stopwatch.StartNew();
        while (!File.ReadAllText($"/proc/{pid}/cmdline").Contains("sleep") && watch.Elapsed < TimeSpan.FromSeconds(5))
        {
            Thread.Sleep(10);
        }

        Assert.Contains("sleep", File.ReadAllText($"/proc/{pid}/cmdline"));
        Assert.Equal(File.ReadAllText($"/proc/{Sandbox.Pid(bundle.Id)}/cgroup"), File.ReadAllText($"/proc/{pid}/cgroup"));
    }

    [Fact]
    public void Features_and_list_speak_json()
    {
        RunResult features = Sandbox.Runtime("features");
        Assert.True(features.ExitCode == 0, features.ToString());
        JsonObject json = JsonNode.Parse(features.Stdout)!.AsObject();
        Assert.Contains("CAP_SYS_ADMIN", json["linux"]!["capabilities"]!.AsArray().Select(c => c!.GetValue<string>()));

        Bundle bundle = Sandbox.StartSleeper();
        RunResult list = Sandbox.Runtime("list", "--format", "json");
        JsonArray containers = JsonNode.Parse(list.Stdout)!.AsArray();
        JsonNode mine = Assert.Single(containers)!;
        Assert.Equal(bundle.Id, mine["id"]!.GetValue<string>());
        Assert.Equal("running", mine["status"]!.GetValue<string>());
    }

    [Fact]
    public void Events_stats_speaks_runcs_shape()
    {
        Bundle bundle = Sandbox.StartSleeper(b =>
        {
            b.Linux["resources"]!["pids"] = new JsonObject { ["limit"] = 50 };
            b.Linux["resources"]!["memory"] = new JsonObject { ["limit"] = 64L << 20 };
            b.Linux["resources"]!["cpu"] = new JsonObject { ["cpus"] = "1", ["mems"] = "0" };
        });
        RunResult events = Sandbox.Runtime("events", "--stats", bundle.Id);
        Assert.True(events.ExitCode == 0, events.ToString());
        Assert.Single(events.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries)); // one event, one line
        JsonObject json = JsonNode.Parse(events.Stdout)!.AsObject();
        Assert.Equal("stats", json["type"]!.GetValue<string>());
        Assert.Equal(bundle.Id, json["id"]!.GetValue<string>());
        JsonObject data = json["data"]!.AsObject();

        // runc types/events.go: cpu.usage.{total,percpu,kernel,user}, cpu.throttling
        JsonObject cpuUsage = data["cpu"]!["usage"]!.AsObject();
        Assert.True(cpuUsage["total"]!.GetValue<ulong>() > 0);
        Assert.Equal(Environment.ProcessorCount, cpuUsage["percpu"]!.AsArray().Count);
        Assert.NotNull(cpuUsage["kernel"]);
        Assert.NotNull(cpuUsage["user"]);
        Assert.IsType<JsonObject>(data["cpu"]!["throttling"]);

        // memory.usage.{limit,usage,max,failcnt}, memory.swap, memory.kernel, memory.raw
        JsonObject usage = data["memory"]!["usage"]!.AsObject();
        Assert.Equal(64UL << 20, usage["limit"]!.GetValue<ulong>());
        Assert.True(usage["usage"]!.GetValue<ulong>() > 0);
        Assert.True(usage["max"]!.GetValue<ulong>() >= usage["usage"]!.GetValue<ulong>());
        Assert.Equal(0UL, usage["failcnt"]!.GetValue<ulong>());
        Assert.NotNull(data["memory"]!["swap"]!["limit"]);
        Assert.Equal(0UL, data["memory"]!["kernel"]!["failcnt"]!.GetValue<ulong>());
        Assert.NotNull(data["memory"]!["raw"]!["total_rss"]);

        // pids.{current,limit}; blkio and hugetlb are objects even when empty
        Assert.Equal(1, data["pids"]!["current"]!.GetValue<int>());
        Assert.Equal(50, data["pids"]!["limit"]!.GetValue<int>());
        Assert.IsType<JsonObject>(data["blkio"]);
        Assert.IsType<JsonObject>(data["hugetlb"]);

        // cpuset.{cpus,mems}: the container's cpuset cgroup, as lists of numbers (v1 cpuset.cpus "1", cpuset.mems "0")
        Assert.Equal([1], data["cpuset"]!["cpus"]!.AsArray().Select(n => n!.GetValue<int>()));
        Assert.Equal([0], data["cpuset"]!["mems"]!.AsArray().Select(n => n!.GetValue<int>()));
    }
}
