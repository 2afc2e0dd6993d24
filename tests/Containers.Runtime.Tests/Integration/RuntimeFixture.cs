using System.Text.Json.Nodes;

namespace Containers.Runtime.Tests.Integration;

/// <summary>
/// One per test run: finds the published containers-runtime, makes a busybox rootfs template and the
/// default config.json that `containers-runtime spec` writes. Tests get a <see cref="RuntimeSandbox"/> each.
/// </summary>
public sealed class RuntimeFixture : IDisposable
{
    public const string BusyboxPath = "/bin/busybox";

    public RuntimeFixture()
    {
        Binary = LocateBinary();
        if (!File.Exists(BusyboxPath))
        {
            throw new InvalidOperationException($"{BusyboxPath} is missing: install Debian's busybox-static (apt-get install busybox-static)");
        }

        WorkDir = Directory.CreateTempSubdirectory("containers-it-").FullName;
        Applets = RuntimeSandbox.RunProcess(BusyboxPath, ["--list"], TimeSpan.FromSeconds(10)).Stdout
                .Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                .Where(a => a != "busybox").ToArray();

        string specDir = Path.Combine(WorkDir, "spec");
        Directory.CreateDirectory(specDir);
        var spec = RuntimeSandbox.RunProcess(Binary, ["spec", "--bundle", specDir], TimeSpan.FromSeconds(10));
        Assert.True(spec.ExitCode == 0, $"`containers-runtime spec` failed: {spec}");
        DefaultConfig = JsonNode.Parse(File.ReadAllText(Path.Combine(specDir, "config.json")))!.AsObject();
    }

    /// <summary>The containers-runtime executable under test.</summary>
    public string Binary { get; }

    /// <summary>Temp directory holding every sandbox of this run.</summary>
    public string WorkDir { get; }

    /// <summary>busybox applet names (sh, ls, cat, ...).</summary>
    public string[] Applets { get; }

    /// <summary>config.json as `containers-runtime spec` writes it.</summary>
    public JsonObject DefaultConfig { get; }

    private int _sandboxes;

    public RuntimeSandbox NewSandbox() =>
        new(this, Path.Combine(WorkDir, "t" + Interlocked.Increment(ref _sandboxes)));

    /// <summary>Writes a busybox rootfs: /bin/busybox plus one symlink per applet, and the usual empty dirs.</summary>
    public void MakeRootfs(string rootfs)
    {
        Directory.CreateDirectory(Path.Combine(rootfs, "bin"));
        File.Copy(BusyboxPath, Path.Combine(rootfs, "bin", "busybox"));
        foreach (string applet in Applets)
        {
            string link = Path.Combine(rootfs, "bin", applet);
            if (!File.Exists(link))
            {
                File.CreateSymbolicLink(link, "busybox");
            }
        }

        foreach (string dir in new[] { "proc", "sys", "dev", "tmp", "etc", "root", "home", "var", "mnt", "sbin", "usr/bin" })
        {
            Directory.CreateDirectory(Path.Combine(rootfs, dir));
        }

        File.SetUnixFileMode(Path.Combine(rootfs, "tmp"), (UnixFileMode)0b1_111_111_111);
        File.WriteAllText(Path.Combine(rootfs, "etc", "passwd"), "root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/nonexistent:/bin/false\n");
        File.WriteAllText(Path.Combine(rootfs, "etc", "group"), "root:x:0:\nnobody:x:65534:\n");
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(WorkDir, recursive: true);
        }
        catch (IOException)
        {
            // a leftover mount (a runtime bug the tests report) keeps it busy; do not hide the test results
        }
        catch (UnauthorizedAccessException)
        {
        }
    }

    private static string LocateBinary()
    {
        if (Environment.GetEnvironmentVariable("CONTAINERS_RUNTIME") is { Length: > 0 } fromEnv)
        {
            return File.Exists(fromEnv)
                ? Path.GetFullPath(fromEnv)
                : throw new InvalidOperationException($"CONTAINERS_RUNTIME={fromEnv}: no such file (unset it to test the one `./build.ps1 Build` publishes)");
        }

        string? dir = AppContext.BaseDirectory;
        while (dir is not null && !File.Exists(Path.Combine(dir, "build.ps1")))
        {
            dir = Path.GetDirectoryName(dir);
        }

        string candidate = Path.Combine(dir ?? AppContext.BaseDirectory, "artifacts", "publish", "containers-runtime", "containers-runtime");
        return File.Exists(candidate)
            ? candidate
            : throw new InvalidOperationException(
                $"containers-runtime not found at {candidate}: run `./build.ps1 Build` first (or set CONTAINERS_RUNTIME to the binary)");
    }
}

/// <summary>Integration tests run one at a time: they share the kernel, cgroups and the CPU.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class RuntimeCollection : ICollectionFixture<RuntimeFixture>
{
    public const string Name = "containers-runtime integration";
}
