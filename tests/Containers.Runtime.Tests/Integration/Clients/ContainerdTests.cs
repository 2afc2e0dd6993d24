using System.Diagnostics;

namespace Containers.Runtime.Tests.Integration.Clients;

/// <summary>
/// A private containerd (own root, state and socket) whose runc shim (io.containerd.runc.v2) runs our binary
/// through `ctr run --runc-binary`.
/// </summary>
public sealed class ContainerdTests(RuntimeFixture fixture) : IntegrationTest(fixture)
{
    [Fact]
    public void Ctr_run_rm_echo_runs_on_our_runtime()
    {
        string containerd = ClientSandbox.Require("containerd", "containerd");
        string ctr = ClientSandbox.Require("ctr", "containerd");
        string dir = Path.Combine(Sandbox.Dir, "containerd");
        Directory.CreateDirectory(dir);
        string socket = Path.Combine(dir, "containerd.sock");
        string config = Path.Combine(dir, "config.toml");
        File.WriteAllText(config, $"""
            version = 2
            root = "{dir}/root"
            state = "{dir}/state"
            disabled_plugins = ["io.containerd.grpc.v1.cri"]
            [grpc]
              address = "{socket}"
            [ttrpc]
              address = "{socket}.ttrpc"
            [debug]
              address = "{dir}/debug.sock"

            """);
        string log = Path.Combine(dir, "runtime-calls.log");
        string wrapper = ClientSandbox.Wrapper(Sandbox.Binary, dir, log);

        var psi = new ProcessStartInfo("/bin/sh") { UseShellExecute = false };
        psi.ArgumentList.Add("-c");
        psi.ArgumentList.Add($"exec '{containerd}' --config '{config}' </dev/null >'{dir}/containerd.log' 2>&1");
        using System.Diagnostics.Process daemon = System.Diagnostics.Process.Start(psi)!;
        try
        {
            var watch = Stopwatch.StartNew();
            while (!File.Exists(socket) && !daemon.HasExited && watch.Elapsed < TimeSpan.FromSeconds(20))
            {
                Thread.Sleep(50);
            }

            Assert.True(File.Exists(socket), "containerd did not start:\n" + File.ReadAllText(Path.Combine(dir, "containerd.log")));

            RunResult Ctr(params string[] args) =>
                RuntimeSandbox.RunProcess(ctr, ["--address", socket, "--namespace", "containers-it", .. args], TimeSpan.FromSeconds(120));

            string archive = OciArchive.Write(ClientSandbox.RootfsTar(Fixture, Sandbox.Dir), Sandbox.Dir, "latest");
            RunResult import = Ctr("images", "import", "--snapshotter", "native", "--base-name", "localhost/busybox-it", archive);
            Assert.True(import.ExitCode == 0, "ctr images import: " + import);
            RunResult images = Ctr("images", "ls", "-q");
            Assert.Contains("localhost/busybox-it:latest", images.Stdout);

            RunResult run = Ctr("run", "--rm", "--snapshotter", "native", "--runc-binary", wrapper, "--runc-root", Path.Combine(dir, "runc"),
                "localhost/busybox-it:latest", "t1", "sh", "-c", "echo hi; hostname; grep CapEff /proc/self/status");
            Assert.True(run.ExitCode == 0, $"ctr run: {run}\nruntime calls:\n{string.Join('\n', ClientSandbox.LoggedCalls(log))}");
            string[] lines = run.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
            Assert.Equal("hi", lines[0]);

            string[] calls = ClientSandbox.LoggedCalls(log);
            Assert.Contains(calls, c => c.StartsWith("rc=0 ", StringComparison.Ordinal) && c.Contains("--log-format json create --bundle "));
            Assert.Contains(calls, c => c.StartsWith("rc=0 ", StringComparison.Ordinal) && c.Contains(" start t1"));
            Assert.Contains(calls, c => c.StartsWith("rc=0 ", StringComparison.Ordinal) && c.Contains(" delete "));

            RunResult exit = Ctr("run", "--rm", "--snapshotter", "native", "--runc-binary", wrapper, "--runc-root", Path.Combine(dir, "runc"),
                "localhost/busybox-it:latest", "t2", "sh", "-c", "exit 7");
            Assert.True(exit.ExitCode == 7, "exit code through the shim: " + exit);

            // ctr's default cgroupsPath is /<namespace>/<id>: the containers' cgroups went with them
            foreach (string controller in RuntimeSandbox.CgroupControllers)
            {
                foreach (string id in new[] { "t1", "t2" })
                {
                    Assert.False(Directory.Exists($"/sys/fs/cgroup/{controller}/containers-it/{id}"), $"cgroup {controller}/containers-it/{id} left behind");
                }
            }

            Assert.Empty(Directory.EnumerateFileSystemEntries(Path.Combine(dir, "runc", "containers-it")));
        }
        finally
        {
            StopContainerd(daemon, dir);
            foreach (string controller in RuntimeSandbox.CgroupControllers)
            {
                // the namespace's parent cgroup is ctr's, not the runtime's (runc leaves it too)
                string parent = $"/sys/fs/cgroup/{controller}/containers-it";
                if (Directory.Exists(parent) && Directory.GetDirectories(parent).Length == 0)
                {
                    Directory.Delete(parent);
                }
            }
        }
    }

    private static void StopContainerd(System.Diagnostics.Process daemon, string dir)
    {
        if (!daemon.HasExited)
        {
            daemon.Kill(); // SIGKILL of the pid we started; shims are separate processes, handled below
            daemon.WaitForExit(10_000);
        }

        // shims our containerd started: `containerd-shim-runc-v2 -namespace containers-it -id ... -address <our socket>`
        foreach (string proc in Directory.EnumerateDirectories("/proc"))
        {
            if (int.TryParse(Path.GetFileName(proc), out int pid))
            {
                try
                {
                    string cmdline = File.ReadAllText(Path.Combine(proc, "cmdline")).Replace('\0', ' ');
                    if (cmdline.Contains("containerd-shim", StringComparison.Ordinal) && cmdline.Contains(dir, StringComparison.Ordinal))
                    {
                        System.Diagnostics.Process.GetProcessById(pid).Kill();
                    }
                }
                catch (Exception e) when (e is IOException or ArgumentException or InvalidOperationException or UnauthorizedAccessException)
                {
                }
            }
        }

        ClientSandbox.UnmountUnder(dir);
    }
}
