using System.Text.Json.Nodes;

namespace Containers.Runtime.Tests.Integration;

/// <summary>Namespaces and the rootfs: network with only lo, private mounts, binds, tmpfs options, readonly root.</summary>
public sealed class MountTests(RuntimeFixture fixture) : IntegrationTest(fixture)
{
    private static string[] Lines(string text) =>
        text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    private static void AddMount(Bundle bundle, string destination, string type, string source, params string[] options) =>
        bundle.Config["mounts"]!.AsArray().Add(new JsonObject
        {
            ["destination"] = destination,
            ["type"] = type,
            ["source"] = source,
            ["options"] = new JsonArray([.. options.Select(o => (JsonNode)JsonValue.Create(o))]),
        });

    [Fact]
    public void Network_namespace_has_only_lo_and_it_is_up()
    {
        string output = Sandbox.RunShell("tail -n +3 /proc/net/dev | cut -d: -f1; ip link");
        string[] lines = Lines(output);
        Assert.Equal("lo", lines[0]);
        Assert.StartsWith("1: lo: <LOOPBACK,UP,LOWER_UP>", lines[1]);
        Assert.DoesNotContain(lines, l => l.StartsWith("2:", StringComparison.Ordinal));
    }

    [Fact]
    public void Tmpfs_mount_is_private_to_the_container_and_takes_options()
    {
        Bundle bundle = Sandbox.ShellBundle("grep ' /scratch ' /proc/self/mountinfo; stat -c %a /scratch; df -k /scratch | tail -n 1",
            b => AddMount(b, "/scratch", "tmpfs", "tmpfs", "size=2m", "mode=710", "nosuid"));
        Sandbox.CreateOk(bundle);

        // init waits with its mounts in place: the host does not see them, init's namespace does
        int pid = Sandbox.Pid(bundle.Id);
        Assert.DoesNotContain(bundle.Dir, File.ReadAllText("/proc/self/mountinfo"));
        Assert.Contains(" /scratch ", File.ReadAllText($"/proc/{pid}/mountinfo"));

        Assert.Equal(0, Sandbox.Runtime("start", bundle.Id).ExitCode);
        Sandbox.WaitForStatus(bundle.Id, "stopped");
        string[] lines = Lines(Sandbox.CreatedOutput(bundle.Id));
        Assert.Contains("tmpfs", lines[0]);
        Assert.Contains("nosuid", lines[0]);
        Assert.Equal("710", lines[1]);
        Assert.Equal("2048", lines[2].Split(' ', StringSplitOptions.RemoveEmptyEntries)[1]);
    }

    [Fact]
    public void Noexec_tmpfs_refuses_to_run_programs()
    {
        string output = Sandbox.RunShell("cp /bin/busybox /scratch/bb && /scratch/bb true 2>&1; echo rc=$?",
            b => AddMount(b, "/scratch", "tmpfs", "tmpfs", "noexec", "size=8m"));
        Assert.Contains("Permission denied", output);
        Assert.DoesNotContain("rc=0", output);
    }

    [Fact]
    public void Readonly_bind_mount_refuses_writes()
    {
        string source = Path.Combine(Sandbox.Dir, "data");
        Directory.CreateDirectory(source);
        File.WriteAllText(Path.Combine(source, "f"), "host data\n");
        string output = Sandbox.RunShell("cat /data/f; { echo x > /data/g; } 2>&1; echo rc=$?; grep ' /data ' /proc/self/mountinfo",
            b => AddMount(b, "/data", "bind", source, "rbind", "ro"));
        string[] lines = Lines(output);
        Assert.Equal("host data", lines[0]);
        Assert.Contains("Read-only file system", output);
        Assert.Contains("rc=1", output);
        Assert.Matches(@" /data ro[, ]", lines.Last());
        Assert.False(File.Exists(Path.Combine(source, "g")));
    }

    [Fact]
    public void Writable_bind_mount_writes_through_to_the_host()
    {
        string source = Path.Combine(Sandbox.Dir, "data");
        Directory.CreateDirectory(source);
        Sandbox.RunShell("echo from-container > /data/out", b => AddMount(b, "/data", "bind", source, "bind"));
        Assert.Equal("from-container\n", File.ReadAllText(Path.Combine(source, "out")));
    }

    [Fact]
    public void Bind_mount_of_a_single_file()
    {
        string source = Path.Combine(Sandbox.Dir, "hello.txt");
        File.WriteAllText(source, "hello from a file\n");
        string output = Sandbox.RunShell("cat /etc/hello.txt; ls -d /etc/hello.txt",
            b => AddMount(b, "/etc/hello.txt", "bind", source, "bind", "ro"));
        Assert.Equal(["hello from a file", "/etc/hello.txt"], Lines(output));
    }

    [Fact]
    public void Readonly_root_refuses_writes()
    {
        string output = Sandbox.RunShell("touch /newfile 2>&1; echo rc=$?; touch /tmp/x 2>&1; echo rc=$?",
            b => b.Config["root"]!["readonly"] = true);
        Assert.Contains("Read-only file system", output);
        Assert.DoesNotContain("rc=0", output);
    }

    [Fact]
    public void Writable_root_accepts_writes()
    {
        Bundle bundle = Sandbox.ShellBundle("touch /newfile && echo ok", b => b.Config["root"]!["readonly"] = false);
        RunResult result = Sandbox.Run(bundle);
        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.True(File.Exists(Path.Combine(bundle.Rootfs, "newfile")));
    }

    [Fact]
    public void Mount_destination_symlink_cannot_escape_the_rootfs()
    {
        // CVE-2021-30465 class: /escape -> / on the host must resolve inside the rootfs
        string source = Path.Combine(Sandbox.Dir, "data");
        Directory.CreateDirectory(source);
        string marker = Path.Combine(Sandbox.Dir, "outside");
        Directory.CreateDirectory(marker);
        Bundle bundle = Sandbox.ShellBundle("ls /escape", b =>
        {
            b.Config["root"]!["readonly"] = false;
            AddMount(b, "/escape/x", "tmpfs", "tmpfs");
        });
        File.CreateSymbolicLink(Path.Combine(bundle.Rootfs, "escape"), marker);
        Sandbox.Run(bundle);
        Assert.Empty(Directory.EnumerateFileSystemEntries(marker));
        Assert.DoesNotContain(marker, File.ReadAllText("/proc/self/mountinfo"));
    }
}
