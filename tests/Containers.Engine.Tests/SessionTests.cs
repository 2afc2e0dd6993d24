using System.Diagnostics;
using System.Text.Json;

namespace Containers.Engine.Tests;

public sealed class SessionTests(EngineSandbox sandbox) : IClassFixture<EngineSandbox>
{
    [Fact]
    public void Two_concurrent_creates_of_one_name_exactly_one_wins()
    {
        for (int round = 0; round < 5; round++)
        {
            string name = $"race{round}";
            var results = new ContainerInfo?[2];
            var errors = new EngineException?[2];
            using var barrier = new Barrier(2);
            var threads = Enumerable.Range(0, 2).Select(i => new Thread(() =>
            {
                var engine = new ContainerEngine(sandbox.Options);
                barrier.SignalAndWait();
                try
                {
                    results[i] = engine.Create(sandbox.Request("true") with { Name = name });
                }
                catch (EngineException e)
                {
                    errors[i] = e;
                }
            })).ToList();
            threads.ForEach(t => t.Start());
            threads.ForEach(t => t.Join());
            Assert.Single(results, r => r is not null);
            EngineException loser = Assert.Single(errors, e => e is not null)!;
            Assert.Equal(EngineErrorKind.AlreadyExists, loser.Kind);
            Assert.Single(sandbox.Engine.List(), c => c.Name == name);
            Assert.Single(Directory.GetDirectories(Path.Join(sandbox.Options.DataRoot, "containers")), d => File.ReadAllText(Path.Join(d, "container.json")).Contains($"\"{name}\""));
        }
    }

    [Fact]
    public void A_new_engine_sees_a_running_container_and_can_stop_it()
    {
        ContainerInfo c = sandbox.Run("sleep", "60");
        var later = new ContainerEngine(sandbox.Options);
        ContainerInfo seen = later.Get(c.Name);
        Assert.Equal(ContainerState.Running, seen.State);
        Assert.Equal(c.Pid, seen.Pid);
        ContainerInfo stopped = later.Stop(c.Id, TimeSpan.FromSeconds(1));
        Assert.Equal(ContainerState.Exited, stopped.State);
        Assert.Equal(137, stopped.ExitCode); // sleep as PID 1 ignores SIGTERM
        later.Remove(c.Id, false);
    }

    [Fact]
    public void A_killed_shim_leaves_the_container_exited_and_removable()
    {
        ContainerInfo c = sandbox.Run("sleep", "60");
        int shim = ShimPid(c.Id);
        int pid = c.Pid!.Value;
        Process.Start("kill", ["-9", shim.ToString()])!.WaitForExit();
        Assert.True(EngineSandbox.WaitUntil(() => !Directory.Exists($"/proc/{shim}"), TimeSpan.FromSeconds(5)));
        ContainerInfo after = new ContainerEngine(sandbox.Options).Get(c.Id);
        Assert.Equal(ContainerState.Exited, after.State);
        Assert.Equal(137, after.ExitCode); // the engine killed what the lost shim left running
        Assert.True(EngineSandbox.WaitUntil(() => !File.Exists($"/proc/{pid}/stat") || File.ReadAllText($"/proc/{pid}/stat").Contains(") Z"), TimeSpan.FromSeconds(5)));
        Assert.Single(sandbox.Engine.List(), i => i.Id == c.Id && i.State == ContainerState.Exited);
        sandbox.Engine.Remove(c.Id, false);
        Assert.False(Directory.Exists(EngineSandbox.CgroupDir("memory", c.Id)));
        Assert.DoesNotContain(sandbox.Mounts(), m => m.Contains(c.Id));
    }

    [Fact]
    public void The_shim_is_not_a_child_of_the_engine()
    {
        ContainerInfo c = sandbox.Run("sleep", "60");
        int shim = ShimPid(c.Id);
        string stat = File.ReadAllText($"/proc/{shim}/stat");
        int ppid = int.Parse(stat[(stat.LastIndexOf(')') + 2)..].Split(' ')[1]);
        Assert.NotEqual(Environment.ProcessId, ppid);
        // No zombie shim stage left behind (other test classes run meanwhile: only shims count).
        // Transient ones (a stage between exit and reaping in a parallel test) go within a moment.
        Assert.True(EngineSandbox.WaitUntil(() => !Directory.GetDirectories("/proc").Select(Path.GetFileName).Where(n => n!.All(char.IsAsciiDigit))
            .Any(p => IsZombieChildOfUs(p!)), TimeSpan.FromSeconds(3)));
        sandbox.Engine.Remove(c.Id, force: true);
    }

    private static bool IsZombieChildOfUs(string pid)
    {
        try
        {
            string stat = File.ReadAllText($"/proc/{pid}/stat");
            string[] f = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            return f[0] == "Z" && f[1] == Environment.ProcessId.ToString() && stat.Contains("(containers-runt");
        }
        catch (IOException)
        {
            return false;
        }
    }

    private int ShimPid(string id)
    {
        using JsonDocument doc = JsonDocument.Parse(File.ReadAllText(Path.Join(sandbox.Options.DataRoot, "containers", id, "container.json")));
        return doc.RootElement.GetProperty("shimPid").GetInt32();
    }
}
