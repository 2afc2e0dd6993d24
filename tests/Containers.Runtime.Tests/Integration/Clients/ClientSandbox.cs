namespace Containers.Runtime.Tests.Integration.Clients;

/// <summary>
/// What the real-client tests share: a busybox rootfs tarball, a wrapper script that logs the argv each client
/// passes to our runtime (and its exit code and stderr) before handing over, and cleanup of leftover mounts.
/// </summary>
internal static class ClientSandbox
{
    /// <summary>Fails (never skips) when a client program is not installed.</summary>
    public static string Require(string program, string package)
    {
        foreach (string dir in (Environment.GetEnvironmentVariable("PATH") ?? "/usr/bin:/bin").Split(':').Concat(["/usr/sbin", "/sbin"]))
        {
            string path = Path.Combine(dir, program);
            if (File.Exists(path))
            {
                return path;
            }
        }

        Assert.Fail($"{program} is not installed: apt-get install {package} (this test drives our runtime through it)");
        return "";
    }

    /// <summary>A tar of a busybox rootfs (an image layer, or input to `podman import`).</summary>
    public static string RootfsTar(RuntimeFixture fixture, string dir)
    {
        string rootfs = Path.Combine(dir, "image-rootfs");
        fixture.MakeRootfs(rootfs);
        string tar = Path.Combine(dir, "busybox-rootfs.tar");
        RunResult result = RuntimeSandbox.RunProcess("tar", ["--numeric-owner", "-C", rootfs, "-cf", tar, "."], TimeSpan.FromSeconds(30));
        Assert.True(result.ExitCode == 0, "tar: " + result);
        return tar;
    }

    /// <summary>
    /// /bin/sh wrapper: appends "rc=N argv... :: stderr" to <paramref name="log"/>, then exits like our binary.
    /// With <paramref name="root"/>, every call gets `--root ROOT` first (for clients that pass none on some calls).
    /// </summary>
    public static string Wrapper(string binary, string dir, string log, string? root = null)
    {
        string rootArgs = root is null ? "" : $"--root '{root}' ";
        string script = Path.Combine(dir, "runtime-wrapper.sh");
        File.WriteAllText(script, $$"""
            #!/bin/sh
            err=$(mktemp)
            '{{binary}}' {{rootArgs}}"$@" 2>"$err"
            rc=$?
            printf 'rc=%s %s :: %s\n' "$rc" "$*" "$(tr '\n' ' ' <"$err")" >> '{{log}}'
            cat "$err" >&2
            rm -f "$err"
            exit $rc

            """);
        File.SetUnixFileMode(script, (UnixFileMode)0b111_101_101);
        return script;
    }

    /// <summary>Lazily unmounts anything still mounted under <paramref name="dir"/> (deepest first).</summary>
    public static void UnmountUnder(string dir)
    {
        IEnumerable<string> mounts = File.ReadAllLines("/proc/self/mountinfo")
            .Select(l => l.Split(' ')[4])
            .Where(m => m.StartsWith(dir + "/", StringComparison.Ordinal))
            .OrderByDescending(m => m.Length);
        foreach (string mount in mounts)
        {
            RuntimeSandbox.RunProcess("umount", ["-l", mount], TimeSpan.FromSeconds(10));
        }
    }

    public static string[] LoggedCalls(string log) => File.Exists(log) ? File.ReadAllLines(log) : [];
}
