using System.Text.Json.Nodes;

namespace Containers.Runtime.Tests.Integration;

/// <summary>Capabilities, seccomp, masked/readonly paths, no_new_privs, oom_score_adj, sysctl — seen from inside.</summary>
public sealed class SecurityTests(RuntimeFixture fixture) : IntegrationTest(fixture)
{
    /// <summary>Docker's 14 default capabilities as a mask.</summary>
    private const string DockerCaps = "00000000a80425fb";

    private static string StatusField(string status, string field) =>
        status.Split('\n').Single(l => l.StartsWith(field + ":", StringComparison.Ordinal)).Split(':', 2)[1].Trim();

    [Fact]
    public void Default_capabilities_are_dockers_14()
    {
        string status = Sandbox.RunShell("cat /proc/self/status");
        Assert.Equal(DockerCaps, StatusField(status, "CapEff"));
        Assert.Equal(DockerCaps, StatusField(status, "CapPrm"));
        Assert.Equal(DockerCaps, StatusField(status, "CapBnd"));
        Assert.Equal("0000000000000000", StatusField(status, "CapInh"));
        Assert.Equal("0000000000000000", StatusField(status, "CapAmb"));
    }

    [Fact]
    public void Capability_removed_from_the_bounding_set_is_absent()
    {
        string status = Sandbox.RunShell("cat /proc/self/status", b =>
        {
            foreach (string set in new[] { "bounding", "effective", "permitted" })
            {
                JsonArray caps = b.Process["capabilities"]![set]!.AsArray();
                caps.Remove(caps.Single(c => c!.GetValue<string>() == "CAP_NET_RAW"));
            }
        });
        ulong expected = 0xa80425fbUL & ~(1UL << 13); // CAP_NET_RAW = 13
        Assert.Equal(expected.ToString("x16"), StatusField(status, "CapBnd"));
        Assert.Equal(expected.ToString("x16"), StatusField(status, "CapEff"));
    }

    [Fact]
    public void Ambient_capability_is_raised()
    {
        string status = Sandbox.RunShell("cat /proc/self/status", b =>
        {
            b.Process["user"] = new JsonObject { ["uid"] = 1000, ["gid"] = 1000 };
            JsonObject caps = b.Process["capabilities"]!.AsObject();
            caps["inheritable"] = new JsonArray("CAP_KILL");
            caps["ambient"] = new JsonArray("CAP_KILL");
        });
        Assert.Equal((1UL << 5).ToString("x16"), StatusField(status, "CapAmb"));
        Assert.Equal((1UL << 5).ToString("x16"), StatusField(status, "CapEff"));
    }

    [Fact]
    public void Unknown_capability_name_is_rejected_at_create()
    {
        Bundle bundle = Sandbox.NewBundle(["true"], b => b.Process["capabilities"]!["bounding"]!.AsArray().Add("CAP_FLY_AWAY"));
        RunResult result = Sandbox.Create(bundle);
        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("CAP_FLY_AWAY", result.Stderr);
        Assert.Contains("capabilities.bounding", result.Stderr);
        Sandbox.AssertNothingLeft(bundle);
    }

    [Fact]
    public void Seccomp_filter_is_on_and_blocks_unshare()
    {
        const string script = "grep '^Seccomp:' /proc/self/status; unshare -U true 2>&1; echo rc=$?";
        string filtered = Sandbox.RunShell(script);
        Assert.Contains("Seccomp:\t2", filtered);
        Assert.Contains("Operation not permitted", filtered);
        Assert.DoesNotContain("rc=0", filtered);

        // the same call is allowed without the profile: the profile, not the capabilities, refused it
        string unfiltered = Sandbox.RunShell(script, b => b.Linux.Remove("seccomp"));
        Assert.Contains("Seccomp:\t0", unfiltered);
        Assert.Contains("rc=0", unfiltered);
    }

    [Fact]
    public void Custom_profile_returns_the_configured_errno()
    {
        string output = Sandbox.RunShell("mkdir /tmp/x 2>&1; echo rc=$?; ls -d /tmp 2>&1", b =>
            b.Linux["seccomp"] = JsonNode.Parse("""
                {
                  "defaultAction": "SCMP_ACT_ALLOW",
                  "architectures": ["SCMP_ARCH_X86_64", "SCMP_ARCH_X86", "SCMP_ARCH_X32"],
                  "syscalls": [ { "names": ["mkdir", "mkdirat"], "action": "SCMP_ACT_ERRNO", "errnoRet": 38 } ]
                }
                """));
        Assert.Contains("Function not implemented", output); // ENOSYS = 38
        Assert.Contains("rc=1", output);
        Assert.Contains("/tmp", output.Split('\n').Last(l => l.Length > 0)); // everything else still allowed
    }

    [Theory]
    [InlineData("SCMP_ACT_KILL")]
    [InlineData("SCMP_ACT_KILL_PROCESS")]
    [InlineData("SCMP_ACT_TRAP")]
    public void Kill_and_trap_actions_end_the_process_with_SIGSYS(string action)
    {
        Bundle bundle = Sandbox.NewBundle(["mkdir", "/tmp/x"], b =>
            b.Linux["seccomp"] = JsonNode.Parse($$"""
                {
                  "defaultAction": "SCMP_ACT_ALLOW",
                  "syscalls": [ { "names": ["mkdir", "mkdirat"], "action": "{{action}}" } ]
                }
                """));
        RunResult run = Sandbox.Run(bundle);
        Assert.True(run.ExitCode == 128 + 31, run.ToString()); // SIGSYS
    }

    [Fact]
    public void Argument_condition_selects_the_action()
    {
        // personality(2) allowed only for 0 (PER_LINUX) and 0xffffffff (query), like Docker's profile
        string output = Sandbox.RunShell("linux64 true; echo rc64=$?; linux32 true 2>&1; echo rc32=$?", b =>
        {
            JsonObject seccomp = b.Linux["seccomp"]!.AsObject();
            seccomp["defaultAction"] = "SCMP_ACT_ALLOW";
            seccomp.Remove("defaultErrnoRet");
            seccomp["syscalls"] = JsonNode.Parse("""
                [ { "names": ["personality"], "action": "SCMP_ACT_ERRNO", "errnoRet": 1,
                    "args": [ { "index": 0, "value": 8, "op": "SCMP_CMP_EQ" } ] } ]
                """);
        });
        Assert.Contains("rc64=0", output);
        Assert.DoesNotContain("rc32=0", output);
    }

    [Fact]
    public void Exec_cap_adds_a_capability()
    {
        Bundle bundle = Sandbox.StartSleeper();
        RunResult exec = Sandbox.Runtime("exec", "--cap", "CAP_SYS_ADMIN", bundle.Id, "grep", "CapEff", "/proc/self/status");
        Assert.True(exec.ExitCode == 0, exec.ToString());
        Assert.Contains((0xa80425fbUL | (1UL << 21)).ToString("x16"), exec.Stdout);
    }

    [Fact]
    public void Default_errno_action_applies_to_unlisted_syscalls()
    {
        // allow-list with defaultAction ERRNO and defaultErrnoRet 38: unlisted calls (mkdir, mkdirat) get ENOSYS
        string output = Sandbox.RunShell("mkdir /tmp/d 2>&1; echo rc=$?", b =>
        {
            JsonObject seccomp = b.Linux["seccomp"]!.AsObject();
            seccomp["defaultErrnoRet"] = 38;
            foreach (JsonNode? rule in seccomp["syscalls"]!.AsArray())
            {
                JsonArray names = rule!["names"]!.AsArray();
                foreach (JsonNode? name in names.Where(n => n!.GetValue<string>() is "mkdir" or "mkdirat").ToList())
                {
                    names.Remove(name);
                }
            }
        });
        Assert.Contains("Function not implemented", output);
        Assert.Contains("rc=1", output);
    }

    [Fact]
    public void Masked_paths_read_empty()
    {
        // /proc/kcore is absent from this kernel: /proc/keys and /proc/timer_list (files), /sys/firmware (a directory)
        Assert.True(new FileInfo("/proc/keys").Exists && Directory.EnumerateFileSystemEntries("/sys/firmware").Any(), "host lacks the probed paths");
        string output = Sandbox.RunShell("cat /proc/keys | wc -c; cat /proc/timer_list | wc -c; ls -A /sys/firmware | wc -l; " +
            "{ echo x > /proc/keys; } 2>&1; grep -c -E ' /proc/keys | /proc/timer_list | /sys/firmware ' /proc/self/mountinfo");
        string[] lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        Assert.Equal(["0", "0", "0"], lines[..3]);
        Assert.Equal("3", lines[^1]);
    }

    [Fact]
    public void Readonly_paths_refuse_writes()
    {
        string output = Sandbox.RunShell("{ echo x > /proc/sys/kernel/domainname; } 2>&1; echo rc=$?; { echo 1 > /proc/sysrq-trigger; } 2>&1; echo rc=$?");
        Assert.Contains("Read-only file system", output);
        Assert.DoesNotContain("rc=0", output);
    }

    [Fact]
    public void NoNewPrivileges_and_oomScoreAdj_are_set()
    {
        string output = Sandbox.RunShell("grep NoNewPrivs /proc/self/status; cat /proc/self/oom_score_adj", b =>
        {
            b.Process["noNewPrivileges"] = true;
            b.Process["oomScoreAdj"] = 423;
        });
        Assert.Contains("NoNewPrivs:\t1", output);
        Assert.Equal("423", output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Last().Trim());
    }

    [Fact]
    public void NoNewPrivileges_false_leaves_the_flag_off()
    {
        string output = Sandbox.RunShell("grep NoNewPrivs /proc/self/status", b => b.Process["noNewPrivileges"] = false);
        Assert.Contains("NoNewPrivs:\t0", output);
    }

    [Fact]
    public void Sysctls_are_visible_inside()
    {
        string output = Sandbox.RunShell("cat /proc/sys/net/ipv4/ip_forward /proc/sys/kernel/shmmni /proc/sys/kernel/msgmax", b =>
            b.Linux["sysctl"] = new JsonObject
            {
                ["net.ipv4.ip_forward"] = "1",
                ["kernel.shmmni"] = "1234",
                ["kernel.msgmax"] = "4321",
            });
        Assert.Equal(["1", "1234", "4321"], output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
        Assert.NotEqual("1234", File.ReadAllText("/proc/sys/kernel/shmmni").Trim()); // the host's stays as it was
    }
}
