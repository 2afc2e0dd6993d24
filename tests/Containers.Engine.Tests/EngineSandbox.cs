using System.Diagnostics;

namespace Containers.Engine.Tests;

/// <summary>
/// A private DataRoot and RunRoot, a busybox rootfs, and an engine on them; Dispose removes every
/// container (force), kills what is left in their cgroups, unmounts and deletes everything.
/// </summary>
public sealed class EngineSandbox : IDisposable
{
    public EngineSandbox()
    {
        Runtime = LocateRuntime();
        Root = Path.Join("/tmp", "ce" + Guid.NewGuid().ToString("N")[..8]);
        Options = new EngineOptions { DataRoot = Path.Join(Root, "d"), RunRoot = Path.Join(Root, "r"), RuntimeExecutable = Runtime };
        Rootfs = Path.Join(Root, "busybox");
        MakeBusybox(Rootfs);
        Engine = new ContainerEngine(Options);
    }

    public string Root { get; }
    public string Runtime { get; }
    public string Rootfs { get; }
    public EngineOptions Options { get; }
    public ContainerEngine Engine { get; }

    public ContainerCreateRequest Request(params string[] command) => new() { Rootfs = Rootfs, Command = command };

    public ContainerInfo Run(params string[] command)
    {
        ContainerInfo created = Engine.Create(Request(command));
        return Engine.Start(created.Id);
    }

    public static string LocateRuntime()
    {
        string? path = Environment.GetEnvironmentVariable("CONTAINERS_PS_RUNTIME");
        if (path is null)
        {
            string dir = AppContext.BaseDirectory;
            while (dir is not null && !File.Exists(Path.Join(dir, "Directory.Build.props"))) dir = Path.GetDirectoryName(dir)!;
            path = dir is null ? null : Path.Join(dir, "artifacts", "publish", "containers-runtime", "containers-runtime");
        }
        if (path is null || !File.Exists(path))
        {
            throw new InvalidOperationException(
                $"containers-runtime not found ({path ?? "no repository root above " + AppContext.BaseDirectory}): build it with " +
                "`dotnet publish src/containers-runtime -c Release -r linux-x64 -o artifacts/publish/containers-runtime` or set CONTAINERS_PS_RUNTIME");
        }
        return path;
    }

    public static void MakeBusybox(string rootfs)
    {
        Directory.CreateDirectory(Path.Join(rootfs, "bin"));
        Directory.CreateDirectory(Path.Join(rootfs, "etc"));
        Directory.CreateDirectory(Path.Join(rootfs, "tmp"));
        File.Copy("/bin/busybox", Path.Join(rootfs, "bin", "busybox"));
        foreach (string applet in new[] { "sh", "echo", "cat", "sleep", "id", "hostname", "ps", "true", "false", "yes", "ls", "touch", "dd", "head", "trap", "kill", "whoami", "tty", "env", "wc" })
        {
            if (applet != "busybox") File.CreateSymbolicLink(Path.Join(rootfs, "bin", applet), "busybox");
        }
        File.WriteAllText(Path.Join(rootfs, "etc", "passwd"), "root:x:0:0:root:/root:/bin/sh\nalice:x:1234:2345:Alice:/home/alice:/bin/sh\n");
        File.WriteAllText(Path.Join(rootfs, "etc", "group"), "root:x:0:\nstaff:x:2345:\nwheel:x:3456:alice\n");
    }

    /// <summary>Mount points under this sandbox, from /proc/self/mountinfo.</summary>
    public IReadOnlyList<string> Mounts() =>
        [.. File.ReadLines("/proc/self/mountinfo").Select(l => l.Split(' ')[4]).Where(m => m.StartsWith(Root + "/", StringComparison.Ordinal))];

    /// <summary>The runtime puts "containers-ps/ID" under its creator's cgroup; the shim inherits ours.</summary>
    public static string CgroupDir(string controller, string id)
    {
        string own = "/";
        foreach (string line in File.ReadAllLines("/proc/self/cgroup"))
        {
            string[] f = line.Split(':', 3);
            if (f[1].Split(',').Contains(controller)) own = f[2];
        }
        return $"/sys/fs/cgroup/{controller}{own.TrimEnd('/')}/containers-ps/{id}";
    }

    public static bool WaitUntil(Func<bool> condition, TimeSpan timeout)
    {
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < timeout)
        {
            if (condition()) return true;
            Thread.Sleep(20);
        }
        return condition();
    }

    public void Dispose()
    {
        try
        {
            foreach (ContainerInfo c in new ContainerEngine(Options).List())
            {
                try
                {
                    Engine.Remove(c.Id, force: true);
                }
                catch (Exception)
                {
                    KillCgroup(c.Id);
                }
            }
        }
        catch (Exception)
        {
        }
        foreach (string dir in Directory.Exists(Path.Join(Options.DataRoot, "containers")) ? Directory.GetDirectories(Path.Join(Options.DataRoot, "containers")) : [])
        {
            KillCgroup(Path.GetFileName(dir));
        }
        foreach (string mount in Mounts().OrderByDescending(m => m.Length))
        {
            Process.Start("umount", ["-l", mount])!.WaitForExit();
        }
        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    private static void KillCgroup(string id)
    {
        foreach (string controller in new[] { "pids", "memory", "cpu", "freezer", "cpuset", "blkio", "devices" })
        {
            string dir = CgroupDir(controller, id);
            if (!Directory.Exists(dir)) continue;
            if (controller == "freezer") File.WriteAllText(Path.Join(dir, "freezer.state"), "THAWED");
            foreach (string pid in File.ReadAllLines(Path.Join(dir, "cgroup.procs")))
            {
                Process.Start("kill", ["-9", pid])!.WaitForExit();
            }
            Thread.Sleep(50);
            try
            {
                Directory.Delete(dir);
            }
            catch (IOException)
            {
            }
        }
    }
}
