using System.Text.Json.Nodes;

namespace Containers.Runtime.Tests.Integration;

/// <summary>create → start → kill → delete, the errors of wrong transitions, and bad bundles that leave nothing behind.</summary>
public sealed class LifecycleTests(RuntimeFixture fixture) : IntegrationTest(fixture)
{
    [Fact]
    public void Create_start_kill_delete_walks_the_states()
    {
        Bundle bundle = Sandbox.NewBundle(["sleep", "600"]);
        Sandbox.CreateOk(bundle);
        JsonObject state = Sandbox.State(bundle.Id);
        Assert.Equal("created", state["status"]!.GetValue<string>());
        Assert.Equal(bundle.Id, state["id"]!.GetValue<string>());
        Assert.Equal(bundle.Dir, state["bundle"]!.GetValue<string>());
        int pid = state["pid"]!.GetValue<int>();
        Assert.True(Directory.Exists($"/proc/{pid}"));

        Assert.Equal(0, Sandbox.Runtime("start", bundle.Id).ExitCode);
        Assert.Equal("running", Sandbox.Status(bundle.Id));
        Assert.Equal(pid, Sandbox.Pid(bundle.Id));
        Assert.Contains("sleep", File.ReadAllText($"/proc/{pid}/cmdline"));

        RunResult list = Sandbox.Runtime("list", "--format", "json");
        Assert.Contains(bundle.Id, list.Stdout);

        Assert.Equal(0, Sandbox.Runtime("kill", bundle.Id, "KILL").ExitCode);
        Sandbox.WaitForStatus(bundle.Id, "stopped");
        RunResult delete = Sandbox.Runtime("delete", bundle.Id);
        Assert.True(delete.ExitCode == 0, delete.ToString());
        Assert.Contains("does not exist", Sandbox.Runtime("state", bundle.Id).Stderr);
        Sandbox.AssertNothingLeft(bundle);
    }

    [Fact]
    public void Kill_with_default_signal_stops_the_container()
    {
        // PID 1 only gets signals it handles (pid_namespaces(7)): a shell that traps TERM
        Bundle bundle = Sandbox.ShellBundle("trap 'exit 0' TERM; sleep 600 & wait");
        Sandbox.CreateOk(bundle);
        Assert.Equal(0, Sandbox.Runtime("start", bundle.Id).ExitCode);
        Thread.Sleep(100); // let the shell install its trap
        RunResult kill = Sandbox.Runtime("kill", bundle.Id);
        Assert.True(kill.ExitCode == 0, kill.ToString());
        Sandbox.WaitForStatus(bundle.Id, "stopped");
    }

    [Theory]
    [InlineData("SIGUSR1")]
    [InlineData("USR1")]
    [InlineData("10")]
    [InlineData("SIGRTMIN+1")] // runc accepts SIGRTMIN+n / RTMIN+n (systemd images stop with SIGRTMIN+3)
    public void Kill_accepts_signal_names_and_numbers(string signal)
    {
        Bundle bundle = Sandbox.ShellBundle("trap 'exit 0' USR1 35; sleep 600 & wait");
        Sandbox.CreateOk(bundle);
        Assert.Equal(0, Sandbox.Runtime("start", bundle.Id).ExitCode);
        Thread.Sleep(100); // let the shell install its traps
        RunResult kill = Sandbox.Runtime("kill", bundle.Id, signal);
        Assert.True(kill.ExitCode == 0, kill.ToString());
        Sandbox.WaitForStatus(bundle.Id, "stopped");
    }

    [Fact]
    public void Start_twice_fails_with_a_clear_message()
    {
        Bundle bundle = Sandbox.StartSleeper();
        RunResult again = Sandbox.Runtime("start", bundle.Id);
        Assert.NotEqual(0, again.ExitCode);
        Assert.Contains("already running", again.Stderr);
    }

    [Fact]
    public void Start_of_a_stopped_container_fails()
    {
        Bundle bundle = Sandbox.NewBundle(["true"]);
        Sandbox.CreateOk(bundle);
        Assert.Equal(0, Sandbox.Runtime("start", bundle.Id).ExitCode);
        Sandbox.WaitForStatus(bundle.Id, "stopped");
        RunResult again = Sandbox.Runtime("start", bundle.Id);
        Assert.NotEqual(0, again.ExitCode);
        Assert.Contains("stopped", again.Stderr);
    }

    [Fact]
    public void Delete_of_a_running_container_needs_force()
    {
        Bundle bundle = Sandbox.StartSleeper();
        int pid = Sandbox.Pid(bundle.Id);
        RunResult delete = Sandbox.Runtime("delete", bundle.Id);
        Assert.NotEqual(0, delete.ExitCode);
        Assert.Contains("not stopped", delete.Stderr);
        Assert.Equal("running", Sandbox.Status(bundle.Id));

        RunResult force = Sandbox.Runtime("delete", "--force", bundle.Id);
        Assert.True(force.ExitCode == 0, force.ToString());
        Assert.False(Directory.Exists($"/proc/{pid}") && File.ReadAllText($"/proc/{pid}/stat").Split(' ')[2] != "Z", $"pid {pid} still alive");
        Sandbox.AssertNothingLeft(bundle);
    }

    [Fact]
    public void Delete_force_of_a_created_container_kills_the_waiting_init()
    {
        Bundle bundle = Sandbox.NewBundle(["sleep", "600"]);
        Sandbox.CreateOk(bundle);
        RunResult force = Sandbox.Runtime("delete", "--force", bundle.Id);
        Assert.True(force.ExitCode == 0, force.ToString());
        Sandbox.AssertNothingLeft(bundle);
    }

    [Fact]
    public void Kill_of_a_stopped_container_fails()
    {
        Bundle bundle = Sandbox.NewBundle(["true"]);
        Sandbox.CreateOk(bundle);
        Assert.Equal(0, Sandbox.Runtime("start", bundle.Id).ExitCode);
        Sandbox.WaitForStatus(bundle.Id, "stopped");
        RunResult kill = Sandbox.Runtime("kill", bundle.Id, "KILL");
        Assert.NotEqual(0, kill.ExitCode);
        Assert.Contains("container not running", kill.Stderr);
    }

    [Theory]
    [InlineData("state")]
    [InlineData("start")]
    [InlineData("kill")]
    [InlineData("delete")]
    [InlineData("pause")]
    [InlineData("ps")]
    public void Unknown_id_does_not_exist(string verb)
    {
        RunResult result = Sandbox.Runtime(verb, "no-such-container");
        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("does not exist", result.Stderr);
    }

    [Fact]
    public void Run_propagates_the_exit_code()
    {
        RunResult result = Sandbox.Run(Sandbox.ShellBundle("echo out; echo err >&2; exit 42"));
        Assert.Equal(42, result.ExitCode);
        Assert.Equal("out\n", result.Stdout);
        Assert.Equal("err\n", result.Stderr);
    }

    [Fact]
    public void Run_detach_then_delete_force()
    {
        Bundle bundle = Sandbox.NewBundle(["sleep", "600"]);
        RunResult run = Sandbox.Runtime("run", "--detach", "--bundle", bundle.Dir, bundle.Id);
        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Equal("running", Sandbox.Status(bundle.Id));
        Assert.Equal(0, Sandbox.Runtime("delete", "--force", bundle.Id).ExitCode);
        Sandbox.AssertNothingLeft(bundle);
    }

    [Fact]
    public void Pid_file_holds_the_init_pid()
    {
        Bundle bundle = Sandbox.NewBundle(["sleep", "600"]);
        string pidFile = Path.Combine(Sandbox.Dir, "pid");
        Sandbox.CreateOk(bundle, "--pid-file", pidFile);
        Assert.Equal(Sandbox.Pid(bundle.Id).ToString(), File.ReadAllText(pidFile).Trim());
    }

    [Fact]
    public void Missing_config_json_fails_and_leaves_nothing()
    {
        Bundle bundle = Sandbox.NewBundle(["true"]);
        File.Delete(Path.Combine(bundle.Dir, "config.json"));
        AssertCreateFails(bundle, "config.json");
    }

    [Fact]
    public void Invalid_json_fails_and_leaves_nothing()
    {
        Bundle bundle = Sandbox.NewBundle(["true"]);
        File.WriteAllText(Path.Combine(bundle.Dir, "config.json"), """{ "ociVersion": "1.2.0", "process": { "args": [ "sh" """);
        AssertCreateFails(bundle, "malformed JSON");
    }

    [Fact]
    public void Wrong_type_names_the_json_path()
    {
        Bundle bundle = Sandbox.NewBundle(["true"], b => b.Process["args"] = "sh -c true");
        AssertCreateFails(bundle, "process.args");
    }

    [Fact]
    public void Empty_args_fail_and_leave_nothing()
    {
        Bundle bundle = Sandbox.NewBundle([]);
        AssertCreateFails(bundle, "process.args");
    }

    [Fact]
    public void Relative_root_that_does_not_exist_fails_and_leaves_nothing()
    {
        Bundle bundle = Sandbox.NewBundle(["true"], b => b.Config["root"]!["path"] = "no-such-rootfs");
        AssertCreateFails(bundle, "root.path");
    }

    [Fact]
    public void Duplicate_namespaces_fail_and_leave_nothing()
    {
        Bundle bundle = Sandbox.NewBundle(["true"], b => b.Linux["namespaces"]!.AsArray().Add(new JsonObject { ["type"] = "pid" }));
        AssertCreateFails(bundle, "linux.namespaces");
    }

    [Fact]
    public void Unknown_namespace_type_names_its_index()
    {
        Bundle bundle = Sandbox.NewBundle(["true"], b => b.Linux["namespaces"]!.AsArray().Add(new JsonObject { ["type"] = "nett" }));
        AssertCreateFails(bundle, "linux.namespaces[6]");
    }

    [Fact]
    public void Missing_executable_fails_at_create_and_leaves_nothing()
    {
        Bundle bundle = Sandbox.NewBundle(["/bin/no-such-binary"]);
        RunResult create = Sandbox.Create(bundle);
        if (create.ExitCode == 0)
        {
            // runc reports it at start; accept either, but the error must be clear and nothing may leak
            RunResult start = Sandbox.Runtime("start", bundle.Id);
            Assert.NotEqual(0, start.ExitCode);
            Assert.Contains("no-such-binary", start.Stderr);
            Sandbox.Runtime("delete", "--force", bundle.Id);
        }
        else
        {
            Assert.Contains("no-such-binary", create.Stderr);
        }

        Sandbox.AssertNothingLeft(bundle);
    }

    [Fact]
    public void Duplicate_id_is_refused()
    {
        Bundle bundle = Sandbox.StartSleeper();
        RunResult again = Sandbox.Create(bundle);
        Assert.NotEqual(0, again.ExitCode);
        Assert.Contains("already exists", again.Stderr);
        Assert.Equal("running", Sandbox.Status(bundle.Id));
    }

    [Fact]
    public void Deep_state_root_and_a_64_char_id_work()
    {
        // containerd under Kubernetes: --root /run/containerd/runc/k8s.io and 64-hex ids; podman and
        // containerd with private roots go deeper. root/id/start.sock passes sun_path's 107 bytes here.
        string root = Path.Combine(Sandbox.StateRoot, "run", "containerd", "runc", "k8s.io");
        string id = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(Guid.NewGuid().ToByteArray()));
        Assert.True(root.Length + id.Length + "/start.sock".Length + 1 > 108);
        Bundle bundle = Sandbox.NewBundle(["sh", "-c", "echo deep"], id: id);
        RunResult run = RuntimeSandbox.RunProcess(Sandbox.Binary, ["--root", root, "run", "--bundle", bundle.Dir, id], RuntimeSandbox.DefaultTimeout);
        try
        {
            Assert.True(run.ExitCode == 0, run.ToString());
            Assert.Equal("deep\n", run.Stdout);
        }
        finally
        {
            RuntimeSandbox.RunProcess(Sandbox.Binary, ["--root", root, "delete", "--force", id], RuntimeSandbox.DefaultTimeout);
        }
    }

    private void AssertCreateFails(Bundle bundle, string expectedInMessage)
    {
        RunResult create = Sandbox.Create(bundle);
        Assert.True(create.ExitCode != 0, "create should fail: " + create);
        Assert.Contains(expectedInMessage, create.Stderr);
        Assert.DoesNotContain("   at ", create.Stderr); // no stack trace for a user's bad input
        Sandbox.AssertNothingLeft(bundle);
    }
}
