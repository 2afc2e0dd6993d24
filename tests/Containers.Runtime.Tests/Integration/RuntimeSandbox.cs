using System.Diagnostics;
using System.Text.Json.Nodes;

namespace Containers.Runtime.Tests.Integration;

/// <summary>The outcome of one process: exit code (-1 after a timeout kill) and what it wrote.</summary>
public sealed record RunResult(int ExitCode, string Stdout, string Stderr, bool TimedOut)
{
    public override string ToString() =>
        $"exit {ExitCode}{(TimedOut ? " (timed out, killed)" : "")}\n--- stdout\n{Stdout}\n--- stderr\n{Stderr}";
}

/// <summary>A bundle directory: config.json (edit <see cref="Config"/>, then <see cref="Save"/>) and a busybox rootfs.</summary>
public sealed class Bundle(string id, string dir, JsonObject config)
{
    public string Id { get; } = id;
    public string Dir { get; } = dir;
    public string Rootfs => Path.Combine(Dir, "rootfs");
    public JsonObject Config { get; } = config;
    public JsonObject Process => Config["process"]!.AsObject();
    public JsonObject Linux => Config["linux"]!.AsObject();

    /// <summary>The cgroupsPath the runtime uses: the config's, else the id (relative to our own cgroup).</summary>
    public string CgroupsPath => Linux["cgroupsPath"]?.GetValue<string>() ?? Id;

    public void Save() => File.WriteAllText(Path.Combine(Dir, "config.json"), Config.ToJsonString(new() { WriteIndented = true }));
}

/// <summary>
/// One per test: a temp directory with its own `--root` state dir and bundles. Dispose force-deletes
/// every container it made (and anything else left in its state dir), then removes the directory,
/// whether the test passed or not.
/// </summary>
public sealed class RuntimeSandbox : IDisposable
{
    private static int s_ids;
    private readonly RuntimeFixture _fixture;
    private readonly List<string> _ids = [];
    private int _files;

    internal RuntimeSandbox(RuntimeFixture fixture, string dir)
    {
        _fixture = fixture;
        Dir = dir;
        StateRoot = Path.Combine(dir, "state");
        Directory.CreateDirectory(StateRoot);
    }

    public string Dir { get; }
    public string StateRoot { get; }
    public string Binary => _fixture.Binary;
    public static TimeSpan DefaultTimeout { get; } = TimeSpan.FromSeconds(30);

    /// <summary>A fresh container id, unique across test runs (cgroups outlive a crashed run).</summary>
    public string NewId() => $"it{Environment.ProcessId}-{Interlocked.Increment(ref s_ids)}";

    /// <summary>A bundle with the default config (terminal off) running <paramref name="args"/>.</summary>
    public Bundle NewBundle(string[] args, Action<Bundle>? edit = null, string? id = null)
    {
        id ??= NewId();
        string dir = Path.Combine(Dir, "bundle-" + id);
        Directory.CreateDirectory(dir);
        _fixture.MakeRootfs(Path.Combine(dir, "rootfs"));
        var config = _fixture.DefaultConfig.DeepClone().AsObject();
        config["process"]!["terminal"] = false;
        config["process"]!["args"] = new JsonArray([.. args.Select(a => (JsonNode)JsonValue.Create(a))]);
        var bundle = new Bundle(id, dir, config);
        edit?.Invoke(bundle);
        bundle.Save();
        _ids.Add(id);
        return bundle;
    }

    /// <summary>Shell command in a new bundle: <c>sh -c script</c>.</summary>
    public Bundle ShellBundle(string script, Action<Bundle>? edit = null) => NewBundle(["sh", "-c", script], edit);

    /// <summary>containers-runtime --root STATE args...</summary>
    public RunResult Runtime(params string[] args) => Runtime(args, DefaultTimeout);

    public RunResult Runtime(string[] args, TimeSpan timeout, string? shellPrefix = null) =>
        RunProcess(Binary, ["--root", StateRoot, .. args], timeout, shellPrefix, NextFile());

    /// <summary>`run --bundle DIR ID` in the foreground: the container's exit code and output.</summary>
    public RunResult Run(Bundle bundle, TimeSpan? timeout = null) =>
        Runtime(["run", "--bundle", bundle.Dir, bundle.Id], timeout ?? DefaultTimeout);

    /// <summary>Runs a shell script in a fresh container and asserts it exited 0; returns its stdout.</summary>
    public string RunShell(string script, Action<Bundle>? edit = null)
    {
        RunResult result = Run(ShellBundle(script, edit));
        Assert.True(result.ExitCode == 0, result.ToString());
        return result.Stdout;
    }

    /// <summary>
    /// `create`: the container's stdio goes to files (<see cref="CreatedOutput"/>), so a waiting init
    /// holds no pipe of ours.
    /// </summary>
    public RunResult Create(Bundle bundle, params string[] extra) => Create(bundle, extra, shellPrefix: null);

    public RunResult Create(Bundle bundle, string[] extra, string? shellPrefix)
    {
        string prefix = NextFile();
        _createdOutput[bundle.Id] = prefix + ".out";
        return RunProcess(Binary, ["--root", StateRoot, "create", "--bundle", bundle.Dir, .. extra, bundle.Id], DefaultTimeout, shellPrefix, prefix);
    }

    /// <summary>What a created container's process wrote to stdout so far (create's stdout file).</summary>
    public string CreatedOutput(string id) => File.ReadAllText(_createdOutput[id]);

    private readonly Dictionary<string, string> _createdOutput = [];

    /// <summary>create, asserting success.</summary>
    public void CreateOk(Bundle bundle, params string[] extra)
    {
        RunResult result = Create(bundle, extra);
        Assert.True(result.ExitCode == 0, "create failed: " + result);
    }

    /// <summary>create + start of a long-running container, asserting both succeed.</summary>
    public Bundle StartSleeper(Action<Bundle>? edit = null)
    {
        Bundle bundle = NewBundle(["sleep", "600"], edit);
        CreateOk(bundle);
        RunResult start = Runtime("start", bundle.Id);
        Assert.True(start.ExitCode == 0, "start failed: " + start);
        return bundle;
    }

    public JsonObject State(string id)
    {
        RunResult result = Runtime("state", id);
        Assert.True(result.ExitCode == 0, "state failed: " + result);
        return JsonNode.Parse(result.Stdout)!.AsObject();
    }

    public string Status(string id) => State(id)["status"]!.GetValue<string>();

    public int Pid(string id) => State(id)["pid"]!.GetValue<int>();

    /// <summary>Waits until the container's status is <paramref name="status"/> (the process exits asynchronously).</summary>
    public void WaitForStatus(string id, string status, TimeSpan? timeout = null)
    {
        var watch = Stopwatch.StartNew();
        string last = "";
        while (watch.Elapsed < (timeout ?? TimeSpan.FromSeconds(10)))
        {
            last = Status(id);
            if (last == status)
            {
                return;
            }

            Thread.Sleep(20);
        }

        Assert.Fail($"container {id} stayed \"{last}\", expected \"{status}\"");
    }

    /// <summary>The host directory of the container's cgroup in one v1 controller (or "unified").</summary>
    public static string HostCgroupDir(string controller, string cgroupsPath)
    {
        string own = "/";
        foreach (string line in File.ReadAllLines("/proc/self/cgroup"))
        {
            string[] parts = line.Split(':', 3);
            bool match = controller == "unified" ? parts[0] == "0" : parts[1].Split(',').Contains(controller == "systemd" ? "name=systemd" : controller);
            if (match)
            {
                own = parts[2];
            }
        }

        string inHierarchy = cgroupsPath.StartsWith('/') ? cgroupsPath : own.TrimEnd('/') + "/" + cgroupsPath;
        return "/sys/fs/cgroup/" + controller + inHierarchy;
    }

    public static readonly string[] CgroupControllers = ["cpu", "cpuacct", "cpuset", "memory", "devices", "freezer", "blkio", "pids", "systemd", "unified"];

    /// <summary>Processes whose root or cwd is inside <paramref name="dir"/> (a container's init or its children).</summary>
    public static List<int> ProcessesUnder(string dir)
    {
        var found = new List<int>();
        foreach (string proc in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(proc), out int pid))
            {
                continue;
            }

            foreach (string link in new[] { "root", "cwd" })
            {
                try
                {
                    string? target = new FileInfo(Path.Combine(proc, link)).LinkTarget;
                    if (target is not null && (target == dir || target.StartsWith(dir + "/", StringComparison.Ordinal)))
                    {
                        found.Add(pid);
                        break;
                    }
                }
                catch (IOException)
                {
                }
                catch (UnauthorizedAccessException)
                {
                }
            }
        }

        return found;
    }

    /// <summary>A failed create/run left no trace: no state dir, no cgroup, no host mount, no process.</summary>
    public void AssertNothingLeft(Bundle bundle)
    {
        Assert.False(Directory.Exists(Path.Combine(StateRoot, bundle.Id)), $"state dir {StateRoot}/{bundle.Id} left behind");
        Assert.Empty(Directory.EnumerateFileSystemEntries(StateRoot));
        foreach (string controller in CgroupControllers)
        {
            string dir = HostCgroupDir(controller, bundle.CgroupsPath);
            Assert.False(Directory.Exists(dir), $"cgroup {dir} left behind");
        }

        string mountinfo = File.ReadAllText("/proc/self/mountinfo");
        Assert.DoesNotContain(bundle.Dir, mountinfo);
        Assert.Empty(ProcessesUnder(bundle.Dir));
    }

    public string NextFile() => Path.Combine(Dir, $"io{Interlocked.Increment(ref _files)}");

    /// <summary>
    /// Runs a program with stdin from /dev/null and stdout/stderr to files (not pipes: a container left
    /// running would hold a pipe open forever). <paramref name="shellPrefix"/> runs in the wrapper shell
    /// first (e.g. <c>exec 3&lt;file</c> to hand an extra fd).
    /// </summary>
    public static RunResult RunProcess(string file, IEnumerable<string> args, TimeSpan timeout, string? shellPrefix = null, string? filePrefix = null)
    {
        bool deleteFiles = filePrefix is null;
        filePrefix ??= Path.Combine(Path.GetTempPath(), "containers-it-" + Guid.NewGuid().ToString("N"));
        string outFile = filePrefix + ".out", errFile = filePrefix + ".err";
        var psi = new ProcessStartInfo("/bin/sh") { UseShellExecute = false };
        psi.ArgumentList.Add("-c");
        psi.ArgumentList.Add((shellPrefix ?? "") + "\no=$1 e=$2; shift 2; exec \"$@\" </dev/null >\"$o\" 2>\"$e\"");
        psi.ArgumentList.Add("sh");
        psi.ArgumentList.Add(outFile);
        psi.ArgumentList.Add(errFile);
        psi.ArgumentList.Add(file);
        foreach (string arg in args)
        {
            psi.ArgumentList.Add(arg);
        }

        using var process = System.Diagnostics.Process.Start(psi)!;
        bool exited = process.WaitForExit(timeout);
        if (!exited)
        {
            try
            {
                process.Kill(entireProcessTree: true);
            }
            catch (InvalidOperationException)
            {
            }

            process.WaitForExit();
        }

        string Read(string path) => File.Exists(path) ? File.ReadAllText(path) : "";
        var result = new RunResult(exited ? process.ExitCode : -1, Read(outFile), Read(errFile), !exited);
        if (deleteFiles)
        {
            File.Delete(outFile);
            File.Delete(errFile);
        }

        return result;
    }

    private bool _disposed;

    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        var ids = new HashSet<string>(_ids);
        if (Directory.Exists(StateRoot))
        {
            foreach (string dir in Directory.EnumerateDirectories(StateRoot))
            {
                ids.Add(Path.GetFileName(dir));
            }
        }

        foreach (string id in ids)
        {
            if (Directory.Exists(Path.Combine(StateRoot, id)))
            {
                Runtime(["delete", "--force", id], TimeSpan.FromSeconds(20));
            }
        }

        try
        {
            Directory.Delete(Dir, recursive: true);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}

/// <summary>Base of the integration test classes: a fresh sandbox per test, disposed after it.</summary>
[Collection(RuntimeCollection.Name)]
public abstract class IntegrationTest(RuntimeFixture fixture) : IDisposable
{
    protected RuntimeFixture Fixture { get; } = fixture;
    protected RuntimeSandbox Sandbox { get; } = fixture.NewSandbox();

    public void Dispose()
    {
        Sandbox.Dispose();
        GC.SuppressFinalize(this);
    }
}
