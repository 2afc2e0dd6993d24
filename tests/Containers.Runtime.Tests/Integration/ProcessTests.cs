using System.Text.Json.Nodes;

namespace Containers.Runtime.Tests.Integration;

/// <summary>The container's process: PID 1, uts names, env, cwd, user, umask, rlimits, open fds.</summary>
public sealed class ProcessTests(RuntimeFixture fixture) : IntegrationTest(fixture)
{
    private static string[] Lines(string text) =>
        text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    [Fact]
    public void Process_is_pid_1_and_alone()
    {
        RunResult result = Sandbox.Run(Sandbox.NewBundle(["ps", "-o", "pid,args"]));
        Assert.True(result.ExitCode == 0, result.ToString());
        string[] lines = Lines(result.Stdout);
        Assert.Equal(2, lines.Length); // header + ps itself
        Assert.Equal("1 ps -o pid,args", string.Join(' ', lines[1].Split(' ', StringSplitOptions.RemoveEmptyEntries)));
    }

    [Fact]
    public void Hostname_and_domainname_come_from_the_config()
    {
        string output = Sandbox.RunShell("hostname; cat /proc/sys/kernel/domainname", b =>
        {
            b.Config["hostname"] = "box-one";
            b.Config["domainname"] = "example.org";
        });
        Assert.Equal(["box-one", "example.org"], Lines(output));
    }

    [Fact]
    public void Env_and_cwd_come_from_the_config()
    {
        string output = Sandbox.RunShell("echo \"$GREETING|$OTHER\"; pwd; env | grep -c .", b =>
        {
            b.Process["env"] = new JsonArray("PATH=/bin", "GREETING=hello world", "OTHER=x=y");
            b.Process["cwd"] = "/home";
        });
        string[] lines = Lines(output);
        Assert.Equal("hello world|x=y", lines[0]);
        Assert.Equal("/home", lines[1]);
    }

    [Fact]
    public void Cwd_that_does_not_exist_is_created()
    {
        string output = Sandbox.RunShell("pwd", b => b.Process["cwd"] = "/work/dir");
        Assert.Equal("/work/dir", output.Trim());
    }

    [Fact]
    public void User_groups_and_umask_come_from_the_config()
    {
        string output = Sandbox.RunShell("id -u; id -g; id -G; umask; touch /tmp/f; stat -c %a /tmp/f", b =>
        {
            b.Config["root"]!["readonly"] = false;
            b.Process["user"] = new JsonObject
            {
                ["uid"] = 1000, ["gid"] = 1001, ["additionalGids"] = new JsonArray(5, 6), ["umask"] = 23, // 0027
            };
        });
        string[] lines = Lines(output);
        Assert.Equal("1000", lines[0]);
        Assert.Equal("1001", lines[1]);
        Assert.Equal(new[] { "1001", "5", "6" }.Order(), lines[2].Split(' ').Order());
        Assert.Equal("0027", lines[3]);
        Assert.Equal("640", lines[4]);
    }

    [Fact]
    public void Rlimit_nofile_is_applied()
    {
        ulong hostHard = HostHardNofile();
        ulong hard = Math.Min(hostHard, 900);
        string output = Sandbox.RunShell("ulimit -n; ulimit -Hn", b =>
            b.Process["rlimits"] = new JsonArray(new JsonObject { ["type"] = "RLIMIT_NOFILE", ["soft"] = 321, ["hard"] = hard }));
        Assert.Equal(["321", hard.ToString()], Lines(output));
    }

    [Fact]
    public void Only_stdio_fds_are_open_in_the_container()
    {
        // $$ is the shell (PID 1); its fds are what the runtime handed over
        string output = Sandbox.RunShell("ls /proc/$$/fd; true"); // not the last command: ash would exec ls itself
        Assert.Equal(["0", "1", "2"], Lines(output));
    }

    [Fact]
    public void Preserved_fd_reaches_the_container()
    {
        string file = Path.Combine(Sandbox.Dir, "fd3.txt");
        File.WriteAllText(file, "through fd 3\n");
        Bundle bundle = Sandbox.ShellBundle("ls /proc/$$/fd; cat <&3");
        RunResult create = Sandbox.Create(bundle, ["--preserve-fds", "1"], shellPrefix: $"exec 3<'{file}'");
        Assert.True(create.ExitCode == 0, create.ToString());
        Assert.Equal(0, Sandbox.Runtime("start", bundle.Id).ExitCode);
        Sandbox.WaitForStatus(bundle.Id, "stopped");
        Assert.Equal(["0", "1", "2", "3", "through fd 3"], Lines(Sandbox.CreatedOutput(bundle.Id)));
    }

    [Fact]
    public void Fd_3_is_not_passed_without_preserve_fds()
    {
        string file = Path.Combine(Sandbox.Dir, "fd3.txt");
        File.WriteAllText(file, "x");
        Bundle bundle = Sandbox.ShellBundle("ls /proc/$$/fd; true");
        RunResult run = Sandbox.Runtime(["run", "--bundle", bundle.Dir, bundle.Id], RuntimeSandbox.DefaultTimeout, $"exec 3<'{file}' 7<'{file}'");
        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Equal(["0", "1", "2"], Lines(run.Stdout));
    }

    private static ulong HostHardNofile()
    {
        string line = File.ReadAllLines("/proc/self/limits").Single(l => l.StartsWith("Max open files", StringComparison.Ordinal));
        string[] parts = line["Max open files".Length..].Split(' ', StringSplitOptions.RemoveEmptyEntries);
        return parts[1] == "unlimited" ? 1024 * 1024 : ulong.Parse(parts[1]);
    }
}
