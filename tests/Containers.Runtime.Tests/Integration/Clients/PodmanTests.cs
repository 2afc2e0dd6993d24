namespace Containers.Runtime.Tests.Integration.Clients;

/// <summary>podman (Debian's, through conmon) drives our runtime: run --rm, run -d + exec + stop + rm.</summary>
public sealed class PodmanTests(RuntimeFixture fixture) : IntegrationTest(fixture)
{
    private const string Image = "localhost/busybox-it:latest";

    private string? _prefix;
    private string _log = "";

    /// <summary>podman with private storage (vfs), run root, runtime state and containers.conf.</summary>
    private RunResult Podman(params string[] args)
    {
        string dir = Path.Combine(Sandbox.Dir, "podman");
        if (_prefix is null)
        {
            Directory.CreateDirectory(dir);
            _log = Path.Combine(dir, "runtime-calls.log");
            // `podman container cleanup` (started by conmon when the container exits) calls `delete --force` without
            // podman's --runtime-flag options: the wrapper gives every call our private --root.
            string wrapper = ClientSandbox.Wrapper(Sandbox.Binary, dir, _log, Path.Combine(dir, "runtime-state"));
            // podman raises its own RLIMIT_NPROC hard limit to 32768 and would ask for more in the container
            // than this machine allows without CAP_SYS_RESOURCE: keep the defaults below what we have.
            File.WriteAllText(Path.Combine(dir, "containers.conf"), $"""
                [containers]
                default_ulimits = ["nofile=1024:1024", "nproc=4096:4096"]
                netns = "none"
                log_driver = "k8s-file"

                [engine]
                cgroup_manager = "cgroupfs"
                events_logger = "file"
                events_logfile_path = "{dir}/events.log"
                static_dir = "{dir}/static"
                tmp_dir = "{dir}/tmp"
                volume_path = "{dir}/volumes"
                runtime = "containers-ps"

                [engine.runtimes]
                containers-ps = ["{wrapper}"]

                """);
            _prefix = $"export CONTAINERS_CONF='{dir}/containers.conf'";
        }

        return RuntimeSandbox.RunProcess(ClientSandbox.Require("podman", "podman"),
            ["--root", $"{dir}/storage", "--runroot", $"{dir}/run", "--storage-driver", "vfs",
             "--runtime", Path.Combine(dir, "runtime-wrapper.sh"), .. args],
            TimeSpan.FromSeconds(120), _prefix);
    }

    private readonly List<string> _containerIds = [];

    /// <summary>Container ids our runtime was asked to create (from the wrapper's log).</summary>
    private void CollectIds()
    {
        foreach (string call in ClientSandbox.LoggedCalls(_log).Where(c => c.Contains(" create --bundle ")))
        {
            _containerIds.Add(call.Split(" :: ")[0].Split(' ').Last());
        }
    }

    private void ImportBusybox()
    {
        string tar = ClientSandbox.RootfsTar(Fixture, Sandbox.Dir);
        RunResult import = Podman("import", "--change", "ENV PATH=/bin", tar, Image);
        Assert.True(import.ExitCode == 0, "podman import: " + import);
    }

    [Fact]
    public void Podman_run_rm_echo_runs_on_our_runtime()
    {
        ImportBusybox();
        try
        {
            RunResult run = Podman("run", "--rm", "--network", "none", Image, "echo", "hi");
            Assert.True(run.ExitCode == 0, $"podman run: {run}\nruntime calls:\n{string.Join('\n', ClientSandbox.LoggedCalls(_log))}");
            Assert.Equal("hi\n", run.Stdout);

            string[] calls = ClientSandbox.LoggedCalls(_log);
            Assert.Contains(calls, c => c.StartsWith("rc=0 ", StringComparison.Ordinal) && c.Contains(" create --bundle "));
            Assert.Contains(calls, c => c.StartsWith("rc=0 ", StringComparison.Ordinal) && c.Contains(" start "));
            Assert.Contains(calls, c => c.Contains(" delete "));
        }
        finally
        {
            CleanUp();
        }
    }

    [Fact]
    public void Podman_detached_container_exec_and_stop()
    {
        ImportBusybox();
        try
        {
            RunResult run = Podman("run", "-d", "--name", "sleeper", "--network", "none", "--hostname", "podhost", Image, "sleep", "600");
            Assert.True(run.ExitCode == 0, $"podman run -d: {run}\nruntime calls:\n{string.Join('\n', ClientSandbox.LoggedCalls(_log))}");

            RunResult exec = Podman("exec", "sleeper", "sh", "-c", "hostname; ps -o pid,args | grep -v ps; exit 3");
            Assert.Equal(3, exec.ExitCode);
            Assert.Contains("podhost", exec.Stdout);
            Assert.Contains("1 sleep 600", exec.Stdout);

            RunResult stop = Podman("stop", "-t", "1", "sleeper");
            Assert.True(stop.ExitCode == 0, "podman stop: " + stop);
            RunResult rm = Podman("rm", "sleeper");
            Assert.True(rm.ExitCode == 0, "podman rm: " + rm);

            string[] calls = ClientSandbox.LoggedCalls(_log);
            Assert.Contains(calls, c => c.StartsWith("rc=0 ", StringComparison.Ordinal) && c.Contains(" exec "));
            Assert.Contains(calls, c => c.StartsWith("rc=0 ", StringComparison.Ordinal) && c.Contains(" kill "));
            string state = Path.Combine(Sandbox.Dir, "podman", "runtime-state");
            string[] left = Directory.Exists(state) ? Directory.GetFileSystemEntries(state, "*", SearchOption.AllDirectories) : [];
            Assert.True(left.Length == 0, $"left in the runtime's state dir after podman rm: {string.Join(", ", left)}\nruntime calls:\n{string.Join('\n', calls)}");
        }
        finally
        {
            CleanUp();
        }
    }

    private void CleanUp()
    {
        CollectIds();
        Podman("rm", "--all", "--force", "--time", "0");
        Podman("rmi", "--all", "--force");
        ClientSandbox.UnmountUnder(Sandbox.Dir);
        // the containers' cgroups (cgroupfs manager: /libpod_parent/libpod-ID) must be gone with them
        foreach (string controller in RuntimeSandbox.CgroupControllers)
        {
            string parent = $"/sys/fs/cgroup/{controller}/libpod_parent";
            foreach (string id in _containerIds)
            {
                Assert.False(Directory.Exists($"{parent}/libpod-{id}"), $"{parent}/libpod-{id} left behind");
            }
        }
    }
}
