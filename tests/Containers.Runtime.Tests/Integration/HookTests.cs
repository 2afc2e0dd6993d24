using System.Text.Json.Nodes;

namespace Containers.Runtime.Tests.Integration;

/// <summary>OCI hooks: every kind runs once, with the state on stdin, in the spec's order; a failing one aborts create cleanly.</summary>
public sealed class HookTests(RuntimeFixture fixture) : IntegrationTest(fixture)
{
    private static readonly string[] Kinds = ["prestart", "createRuntime", "createContainer", "startContainer", "poststart", "poststop"];

    /// <summary>
    /// A /bin/sh script that appends "NAME ok" (or "NAME missing-id: STATE") to the log. Its directory is
    /// bind-mounted at the same path inside the container, so the hooks that run in the container's
    /// mount namespace (createContainer, startContainer) find the script and the log too.
    /// </summary>
    private (string Dir, string Script, string Log) WriteHook(string id, int exitCode = 0)
    {
        string dir = Path.Combine(Sandbox.Dir, "hooks");
        Directory.CreateDirectory(dir);
        string script = Path.Combine(dir, "hook.sh");
        string log = Path.Combine(dir, "hooks.log");
        File.WriteAllText(script, $$"""
            #!/bin/sh
            state=$(cat)
            case "$state" in
              *'"{{id}}"'*) echo "$1 ok" >> {{log}} ;;
              *) echo "$1 missing-id: $state" >> {{log}} ;;
            esac
            exit {{exitCode}}

            """);
        File.SetUnixFileMode(script, (UnixFileMode)0b111_101_101);
        return (dir, script, log);
    }

    private static JsonObject Hook(string script, string name) =>
        new() { ["path"] = script, ["args"] = new JsonArray(script, name), ["timeout"] = 10 };

    [Fact]
    public void Every_hook_runs_in_the_spec_order_with_the_state_on_stdin()
    {
        string id = Sandbox.NewId();
        (string dir, string script, string log) = WriteHook(id);
        Bundle bundle = Sandbox.NewBundle(["true"], b =>
        {
            var hooks = new JsonObject();
            foreach (string kind in Kinds)
            {
                hooks[kind] = new JsonArray(Hook(script, kind));
            }

            b.Config["hooks"] = hooks;
            b.Config["mounts"]!.AsArray().Add(new JsonObject
            {
                ["destination"] = dir, ["type"] = "bind", ["source"] = dir, ["options"] = new JsonArray("bind"),
            });
        }, id);

        Sandbox.CreateOk(bundle);
        Assert.Equal(["prestart ok", "createRuntime ok", "createContainer ok"], File.ReadAllLines(log));
        RunResult start = Sandbox.Runtime("start", id);
        Assert.True(start.ExitCode == 0, start.ToString());
        Sandbox.WaitForStatus(id, "stopped");
        RunResult delete = Sandbox.Runtime("delete", id);
        Assert.True(delete.ExitCode == 0, delete.ToString());
        Assert.Equal(Kinds.Select(k => k + " ok"), File.ReadAllLines(log));
    }

    [Fact]
    public void Hooks_of_one_kind_run_in_array_order()
    {
        string id = Sandbox.NewId();
        (_, string script, string log) = WriteHook(id);
        Bundle bundle = Sandbox.NewBundle(["true"], b => b.Config["hooks"] = new JsonObject
        {
            ["createRuntime"] = new JsonArray(Hook(script, "first"), Hook(script, "second"), Hook(script, "third")),
        }, id);
        RunResult run = Sandbox.Run(bundle);
        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Equal(["first ok", "second ok", "third ok"], File.ReadAllLines(log));
    }

    [Fact]
    public void Failing_prestart_hook_fails_create_and_leaves_nothing_behind()
    {
        string id = Sandbox.NewId();
        (_, string script, string log) = WriteHook(id, exitCode: 3);
        Bundle bundle = Sandbox.NewBundle(["sleep", "60"], b => b.Config["hooks"] = new JsonObject
        {
            ["prestart"] = new JsonArray(Hook(script, "prestart")),
            ["poststart"] = new JsonArray(Hook(script, "poststart")),
        }, id);
        RunResult create = Sandbox.Create(bundle);
        Assert.NotEqual(0, create.ExitCode);
        Assert.Contains("prestart", create.Stderr);
        Assert.Contains(script, create.Stderr);
        Assert.Equal(["prestart ok"], File.ReadAllLines(log));
        Sandbox.AssertNothingLeft(bundle);
    }

    [Fact]
    public void Failing_poststart_and_poststop_hooks_only_warn()
    {
        string id = Sandbox.NewId();
        (_, string script, string log) = WriteHook(id, exitCode: 4);
        Bundle bundle = Sandbox.NewBundle(["true"], b => b.Config["hooks"] = new JsonObject
        {
            ["poststart"] = new JsonArray(Hook(script, "poststart")),
            ["poststop"] = new JsonArray(Hook(script, "poststop")),
        }, id);
        Sandbox.CreateOk(bundle);
        RunResult start = Sandbox.Runtime("start", id);
        Assert.True(start.ExitCode == 0, start.ToString());
        Assert.Contains("poststart", start.Stderr);
        Sandbox.WaitForStatus(id, "stopped");
        RunResult delete = Sandbox.Runtime("delete", id);
        Assert.True(delete.ExitCode == 0, delete.ToString());
        Assert.Equal(["poststart ok", "poststop ok"], File.ReadAllLines(log));
        Sandbox.AssertNothingLeft(bundle);
    }

    [Fact]
    public void Hook_that_outlives_its_timeout_fails_create()
    {
        string id = Sandbox.NewId();
        string script = Path.Combine(Sandbox.Dir, "slow.sh");
        File.WriteAllText(script, "#!/bin/sh\ncat >/dev/null\nsleep 30\n");
        File.SetUnixFileMode(script, (UnixFileMode)0b111_101_101);
        Bundle bundle = Sandbox.NewBundle(["true"], b => b.Config["hooks"] = new JsonObject
        {
            ["createRuntime"] = new JsonArray(new JsonObject { ["path"] = script, ["timeout"] = 1 }),
        }, id);
        var watch = System.Diagnostics.Stopwatch.StartNew();
        RunResult create = Sandbox.Create(bundle);
        Assert.NotEqual(0, create.ExitCode);
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(15), $"create took {watch.Elapsed}");
        Assert.Contains("createRuntime", create.Stderr);
        Sandbox.AssertNothingLeft(bundle);
    }
}
