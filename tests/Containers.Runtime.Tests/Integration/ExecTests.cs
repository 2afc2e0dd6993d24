using System.Security.Cryptography;
using System.Text.Json.Nodes;

namespace Containers.Runtime.Tests.Integration;

/// <summary>exec into a running container, pause/resume, and the CVE-2019-5736 protection of our binary.</summary>
public sealed class ExecTests(RuntimeFixture fixture) : IntegrationTest(fixture)
{
    private static string[] Lines(string text) =>
        text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    [Fact]
    public void Exec_output_and_exit_code_are_propagated()
    {
        Bundle bundle = Sandbox.StartSleeper();
        RunResult exec = Sandbox.Runtime("exec", bundle.Id, "sh", "-c", "echo out; echo err >&2; exit 7");
        Assert.Equal(7, exec.ExitCode);
        Assert.Equal("out\n", exec.Stdout);
        Assert.Equal("err\n", exec.Stderr);
    }

    [Fact]
    public void Exec_joins_the_containers_namespaces()
    {
        Bundle bundle = Sandbox.StartSleeper(b => b.Config["hostname"] = "exec-host");
        int pid = Sandbox.Pid(bundle.Id);
        RunResult exec = Sandbox.Runtime("exec", bundle.Id, "sh", "-c", "hostname; ps -o pid,args | grep -v ps; grep -E 'CapEff|Seccomp:' /proc/self/status");
        Assert.True(exec.ExitCode == 0, exec.ToString());
        string[] lines = Lines(exec.Stdout);
        Assert.Equal("exec-host", lines[0]);
        Assert.Contains(lines, l => l.StartsWith("1 sleep 600", StringComparison.Ordinal));
        Assert.Contains("CapEff:\t00000000a80425fb", exec.Stdout);
        Assert.Contains("Seccomp:\t2", exec.Stdout);
        foreach (string ns in new[] { "mnt", "pid", "net", "uts", "ipc" })
        {
            Assert.Equal(new FileInfo($"/proc/{pid}/ns/{ns}").LinkTarget, ExecNs(bundle.Id, ns));
        }
    }

    private string ExecNs(string id, string ns)
    {
        RunResult r = Sandbox.Runtime("exec", id, "readlink", $"/proc/self/ns/{ns}");
        Assert.True(r.ExitCode == 0, r.ToString());
        return r.Stdout.Trim();
    }

    [Fact]
    public void Exec_env_cwd_and_user()
    {
        Bundle bundle = Sandbox.StartSleeper();
        RunResult exec = Sandbox.Runtime("exec", "--env", "FOO=bar baz", "--cwd", "/tmp", "--user", "1000:1001", bundle.Id,
            "sh", "-c", "echo \"$FOO\"; pwd; id -u; id -g");
        Assert.True(exec.ExitCode == 0, exec.ToString());
        Assert.Equal(["bar baz", "/tmp", "1000", "1001"], Lines(exec.Stdout));
    }

    [Fact]
    public void Exec_of_a_missing_binary_fails_clearly()
    {
        Bundle bundle = Sandbox.StartSleeper();
        RunResult exec = Sandbox.Runtime("exec", bundle.Id, "no-such-binary");
        Assert.NotEqual(0, exec.ExitCode);
        Assert.Contains("executable file not found", exec.Stderr);
        Assert.Equal("running", Sandbox.Status(bundle.Id));
    }

    /// <summary>A script whose interpreter does not exist: found and executable, but execve fails with ENOENT.</summary>
    private static void WriteBadScript(Bundle bundle)
    {
        string script = Path.Combine(bundle.Rootfs, "bin", "bad-script");
        File.WriteAllText(script, "#!/no/such/interpreter\necho hi\n");
        File.SetUnixFileMode(script, (UnixFileMode)0b111_101_101);
    }

    [Fact]
    public void Start_failure_of_execve_names_the_program()
    {
        Bundle bundle = Sandbox.NewBundle(["/bin/bad-script"]);
        WriteBadScript(bundle);
        RunResult run = Sandbox.Run(bundle);
        Assert.NotEqual(0, run.ExitCode);
        Assert.Contains("/bin/bad-script", run.Stderr); // runc: "exec /bin/bad-script: no such file or directory"
        Assert.DoesNotContain("0x", run.Stderr);
    }

    [Fact]
    public void Exec_failure_of_execve_names_the_program()
    {
        Bundle bundle = Sandbox.StartSleeper(WriteBadScript);
        RunResult exec = Sandbox.Runtime("exec", bundle.Id, "/bin/bad-script");
        Assert.NotEqual(0, exec.ExitCode);
        Assert.Contains("/bin/bad-script", exec.Stderr);
        Assert.DoesNotContain("0x", exec.Stderr);
    }

    [Fact]
    public void Exec_process_file()
    {
        Bundle bundle = Sandbox.StartSleeper();
        string file = Path.Combine(Sandbox.Dir, "process.json");
        File.WriteAllText(file, new JsonObject
        {
            ["args"] = new JsonArray("sh", "-c", "echo $X; pwd"),
            ["env"] = new JsonArray("PATH=/bin", "X=from-process-file"),
            ["cwd"] = "/etc",
            ["user"] = new JsonObject { ["uid"] = 0, ["gid"] = 0 },
        }.ToJsonString());
        RunResult exec = Sandbox.Runtime("exec", "--process", file, bundle.Id);
        Assert.True(exec.ExitCode == 0, exec.ToString());
        Assert.Equal(["from-process-file", "/etc"], Lines(exec.Stdout));
    }

    [Fact]
    public void Exec_into_a_stopped_container_fails()
    {
        Bundle bundle = Sandbox.NewBundle(["true"]);
        Sandbox.CreateOk(bundle);
        Assert.Equal(0, Sandbox.Runtime("start", bundle.Id).ExitCode);
        Sandbox.WaitForStatus(bundle.Id, "stopped");
        RunResult exec = Sandbox.Runtime("exec", bundle.Id, "true");
        Assert.NotEqual(0, exec.ExitCode);
        Assert.Contains("stopped", exec.Stderr);
    }

    [Fact]
    public void Ps_lists_the_container_processes()
    {
        Bundle bundle = Sandbox.StartSleeper();
        RunResult ps = Sandbox.Runtime("ps", "--format", "json", bundle.Id);
        Assert.True(ps.ExitCode == 0, ps.ToString());
        Assert.Equal([Sandbox.Pid(bundle.Id)], JsonNode.Parse(ps.Stdout)!.AsArray().Select(n => n!.GetValue<int>()));
    }

    [Fact]
    public void Pause_freezes_and_resume_thaws()
    {
        Bundle bundle = Sandbox.StartSleeper();
        int pid = Sandbox.Pid(bundle.Id);
        RunResult pause = Sandbox.Runtime("pause", bundle.Id);
        Assert.True(pause.ExitCode == 0, pause.ToString());
        Assert.Equal("paused", Sandbox.Status(bundle.Id));
        string frozen = ProcessState(pid);
        Assert.True(frozen is "T" or "D", $"State {frozen} while paused");
        Assert.Equal("FROZEN", File.ReadAllText(Path.Combine(RuntimeSandbox.HostCgroupDir("freezer", bundle.CgroupsPath), "freezer.state")).Trim());

        RunResult resume = Sandbox.Runtime("resume", bundle.Id);
        Assert.True(resume.ExitCode == 0, resume.ToString());
        Assert.Equal("running", Sandbox.Status(bundle.Id));
        Assert.Equal("S", ProcessState(pid));
        Assert.Equal("THAWED", File.ReadAllText(Path.Combine(RuntimeSandbox.HostCgroupDir("freezer", bundle.CgroupsPath), "freezer.state")).Trim());
    }

    [Fact]
    public void A_created_container_can_be_paused_and_resumes_to_created()
    {
        Bundle bundle = Sandbox.NewBundle(["sh", "-c", "echo started"]);
        Sandbox.CreateOk(bundle);
        int pid = Sandbox.Pid(bundle.Id);
        string freezerState = Path.Combine(RuntimeSandbox.HostCgroupDir("freezer", bundle.CgroupsPath), "freezer.state");

        RunResult pause = Sandbox.Runtime("pause", bundle.Id);
        Assert.True(pause.ExitCode == 0, pause.ToString());
        Assert.Equal("paused", Sandbox.Status(bundle.Id));
        Assert.Equal("FROZEN", File.ReadAllText(freezerState).Trim());
        Assert.True(ProcessState(pid) is "T" or "D", $"State {ProcessState(pid)} while paused");

        RunResult start = Sandbox.Runtime("start", bundle.Id);
        Assert.NotEqual(0, start.ExitCode); // a paused container is not started
        Assert.Contains("paused", start.Stderr);
        Assert.NotEqual(0, Sandbox.Runtime("pause", bundle.Id).ExitCode); // already paused

        RunResult resume = Sandbox.Runtime("resume", bundle.Id);
        Assert.True(resume.ExitCode == 0, resume.ToString());
        Assert.Equal("created", Sandbox.Status(bundle.Id));
        Assert.Equal("THAWED", File.ReadAllText(freezerState).Trim());

        start = Sandbox.Runtime("start", bundle.Id);
        Assert.True(start.ExitCode == 0, start.ToString());
        Sandbox.WaitForStatus(bundle.Id, "stopped");
        Assert.Contains("started", Sandbox.CreatedOutput(bundle.Id));
    }

    [Fact]
    public void A_stopped_container_cannot_be_paused()
    {
        Bundle bundle = Sandbox.NewBundle(["true"]);
        Sandbox.CreateOk(bundle);
        Assert.Equal(0, Sandbox.Runtime("start", bundle.Id).ExitCode);
        Sandbox.WaitForStatus(bundle.Id, "stopped");
        RunResult pause = Sandbox.Runtime("pause", bundle.Id);
        Assert.NotEqual(0, pause.ExitCode);
        Assert.Contains("it is stopped", pause.Stderr);
    }

    [Fact]
    public void Delete_force_of_a_paused_container()
    {
        Bundle bundle = Sandbox.StartSleeper();
        Assert.Equal(0, Sandbox.Runtime("pause", bundle.Id).ExitCode);
        RunResult delete = Sandbox.Runtime("delete", "--force", bundle.Id);
        Assert.True(delete.ExitCode == 0, delete.ToString());
        Sandbox.AssertNothingLeft(bundle);
    }

    private static string ProcessState(int pid) =>
        File.ReadAllLines($"/proc/{pid}/status").Single(l => l.StartsWith("State:", StringComparison.Ordinal)).Split('\t')[1][..1];

    [Fact]
    public void Runtime_binary_cannot_be_overwritten_from_inside_CVE_2019_5736()
    {
        byte[] before = SHA256.HashData(File.ReadAllBytes(Sandbox.Binary));
        Bundle bundle = Sandbox.NewBundle(["sleep", "600"]);
        Sandbox.CreateOk(bundle); // init waits: PID 1 in the container is our binary

        int pid = Sandbox.Pid(bundle.Id);
        string exe = new FileInfo($"/proc/{pid}/exe").LinkTarget ?? "";
        Assert.NotEqual(Sandbox.Binary, exe); // not the host file itself: a sealed memfd or a read-only copy

        RunResult exec = Sandbox.Runtime("exec", bundle.Id, "sh", "-c",
            "readlink /proc/1/exe; echo x > /proc/1/exe && echo WROTE-1; echo x >> /proc/1/exe && echo WROTE-2; " +
            "dd if=/dev/zero of=/proc/1/exe bs=1 count=1 conv=notrunc 2>/dev/null && echo WROTE-3; " +
            "echo x > /proc/self/exe && echo WROTE-4; exit 0");
        Assert.True(exec.ExitCode == 0, exec.ToString());
        Assert.DoesNotContain("WROTE", exec.Stdout);
        Assert.Equal(before, SHA256.HashData(File.ReadAllBytes(Sandbox.Binary)));

        Assert.Equal(0, Sandbox.Runtime("start", bundle.Id).ExitCode);
        RunResult exec2 = Sandbox.Runtime("exec", bundle.Id, "sh", "-c", "echo x > /proc/1/exe && echo WROTE; exit 0");
        Assert.DoesNotContain("WROTE", exec2.Stdout);
        Assert.Equal(before, SHA256.HashData(File.ReadAllBytes(Sandbox.Binary)));
    }
}
