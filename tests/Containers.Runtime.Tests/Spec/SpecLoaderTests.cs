using System.Text;
using Containers.Runtime.Spec;

namespace Containers.Runtime.Tests.Spec;

public class SpecLoaderTests
{
    private static SpecException ParseFails(string json) =>
        Assert.Throws<SpecException>(() => SpecLoader.Parse(json));

    [Fact]
    public void Parses_every_field_of_a_full_config()
    {
        var spec = SpecLoader.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Spec", "full-config.json")));
        Assert.Equal("1.2.0", spec.OciVersion);
        Assert.Equal(["sh", "-c", "true"], spec.Process!.Args);
        Assert.Equal(1000u, spec.Process.User!.Uid);
        Assert.Equal([5u, 6u], spec.Process.User.AdditionalGids);
        Assert.Equal(18u, spec.Process.User.Umask);
        Assert.Equal(24u, spec.Process.ConsoleSize!.Height);
        Assert.Equal(["CAP_KILL"], spec.Process.Capabilities!.Ambient);
        Assert.Equal("IOPRIO_CLASS_BE", spec.Process.IoPriority!.Class);
        Assert.Equal("SCHED_BATCH", spec.Process.Scheduler!.Policy);
        Assert.Equal("0-1", spec.Process.ExecCPUAffinity!.Initial);
        Assert.True(spec.Root!.Readonly);
        Assert.Equal("example.org", spec.Domainname);
        Assert.Equal(100000u, spec.Mounts![1].UidMappings![0].HostID);
        Assert.Equal(5, spec.Hooks!.CreateRuntime![0].Timeout);
        Assert.Equal("value", spec.Annotations!["key"]);
        var linux = spec.Linux!;
        Assert.Equal(10L, linux.TimeOffsets!["monotonic"].Secs);
        Assert.Equal(1L, linux.Devices![0].Major);
        Assert.Equal("eth1", linux.NetDevices!["eth0"].Name);
        Assert.Equal(268435456L, linux.Resources!.Memory!.Limit);
        Assert.Equal(-1L, linux.Resources.Memory.Swap);
        Assert.True(linux.Resources.Memory.DisableOOMKiller);
        Assert.Equal(50000L, linux.Resources.Cpu!.Quota);
        Assert.Equal(1000UL, linux.Resources.Cpu.Burst);
        Assert.Equal(1L, linux.Resources.Cpu.Idle);
        Assert.Equal(100L, linux.Resources.Pids!.Limit);
        Assert.Equal((ushort)500, linux.Resources.BlockIO!.Weight);
        Assert.Equal(1048576UL, linux.Resources.BlockIO.ThrottleReadBpsDevice![0].Rate);
        Assert.Equal(1000UL, linux.Resources.BlockIO.ThrottleWriteIOPSDevice![0].Rate);
        Assert.Equal("2MB", linux.Resources.HugepageLimits![0].PageSize);
        Assert.Equal(1048577u, linux.Resources.Network!.ClassID);
        Assert.Equal(3u, linux.Resources.Rdma!["mlx5_1"].HcaHandles);
        Assert.Equal("max", linux.Resources.Unified!["pids.max"]);
        Assert.Equal("clos1", linux.IntelRdt!.ClosID);
        Assert.Equal("1", linux.Sysctl!["net.ipv4.ip_forward"]);
        Assert.Equal("SCMP_ACT_ERRNO", linux.Seccomp!.DefaultAction);
        Assert.Equal(38u, linux.Seccomp.DefaultErrnoRet);
        Assert.Equal(0x7E020000UL, linux.Seccomp.Syscalls![1].Args![0].Value);
        Assert.Equal(0UL, linux.Seccomp.Syscalls[1].Args![0].ValueTwo);
        Assert.Equal("/run/seccomp.sock", linux.Seccomp.ListenerPath);
        Assert.Equal("rslave", linux.RootfsPropagation);
        Assert.Equal("LINUX32", linux.Personality!.Domain);
        Assert.Equal("system_u:object_r:container_file_t:s0", linux.MountLabel);
    }

    [Fact]
    public void Round_trips_without_nulls_in_camel_case()
    {
        var json = SpecLoader.Serialize(DefaultSpec.Create());
        Assert.DoesNotContain("null", json);
        Assert.Contains("\"ociVersion\": \"1.2.0\"", json);
        Assert.Contains("\"noNewPrivileges\": true", json);
        Assert.Equal(json, SpecLoader.Serialize(SpecLoader.Parse(json)));
    }

    [Theory]
    [InlineData("""{"ociVersion":"1.2.0","process":{"env":["A=1","B=2",3]}}""", "$.process.env[2]: expected a string, not a number (line 1, byte 54)")]
    [InlineData("""{"ociVersion":"1.2.0","process":{"user":{"uid":1e30}}}""", "$.process.user.uid: expected an integer from 0 to 4294967295")]
    [InlineData("""{"ociVersion":"1.2.0","process":{"user":{"uid":-1}}}""", "$.process.user.uid: expected an integer from 0 to 4294967295")]
    [InlineData("""{"ociVersion":"1.2.0","process":{"terminal":"yes"}}""", "$.process.terminal: expected true or false, not a string")]
    [InlineData("""{"ociVersion":"1.2.0","process":"sh"}""", "$.process: expected an object")]
    [InlineData("""{"ociVersion":"1.2.0","mounts":{}}""", "$.mounts: expected an array")]
    [InlineData("""{"ociVersion":"1.2.0","linux":{"resources":{"memory":{"limit":9223372036854775808}}}}""", "$.linux.resources.memory.limit: expected an integer from -9223372036854775808")]
    [InlineData("""{"ociVersion":"1.2.0","root":{"path":"rootfs"}""", "$: malformed JSON: Expected depth to be zero")]
    [InlineData("""{"ociVersion":"1.2.0","ociVersion":"1.0.0"}""", "$.ociVersion: ")]
    [InlineData("null", "$: config must be a JSON object, not null")]
    [InlineData("", "$: malformed JSON")]
    [InlineData("[]", "$: expected an object")]
    [InlineData("""{"mounts":[{"destination":{}}]}""", "$.mounts[0].destination: expected a string, not an object")]
    public void Malformed_json_names_where_parsing_failed(string json, string messageStart)
    {
        var e = ParseFails(json);
        Assert.StartsWith(messageStart, e.Message);
    }

    [Fact]
    public void Duplicate_keys_are_rejected()
    {
        var e = ParseFails("""{"ociVersion":"1.2.0","ociVersion":"1.0.0"}""");
        Assert.Contains("uplicate", e.Message);
    }

    [Fact]
    public void Deep_nesting_stops_at_max_depth()
    {
        var json = "{\"unknownField\":" + new string('[', 10_000) + new string(']', 10_000) + "}";
        var e = ParseFails(json);
        Assert.StartsWith("$.unknownField", e.Message);
        Assert.Contains("depth", e.Message);
    }

    [Fact]
    public void Invalid_utf8_is_a_spec_error()
    {
        var bytes = Encoding.UTF8.GetBytes("""{"ociVersion":"1.2.0","hostname":"ab"}""");
        bytes[^4] = 0xC3; // a lead byte followed by an ASCII letter
        var e = Assert.Throws<SpecException>(() => SpecLoader.Parse(bytes));
        Assert.StartsWith("$.hostname: invalid UTF-8 in a string", e.Message);
    }

    [Fact]
    public void Load_checks_the_root_directory_in_the_bundle()
    {
        var bundle = Directory.CreateTempSubdirectory("spec-bundle-");
        try
        {
            File.WriteAllText(Path.Combine(bundle.FullName, "config.json"), ConfigJson.Minimal);
            var e = Assert.Throws<SpecException>(() => SpecLoader.Load(bundle.FullName));
            Assert.Equal("root.path: \"rootfs\" does not exist in the bundle", e.Message);

            Directory.CreateDirectory(Path.Combine(bundle.FullName, "rootfs"));
            Assert.Equal(["sh"], SpecLoader.Load(bundle.FullName).Process!.Args);
        }
        finally
        {
            bundle.Delete(recursive: true);
        }
    }

    [Fact]
    public void Load_of_a_missing_config_is_a_spec_error()
    {
        var e = Assert.Throws<SpecException>(() => SpecLoader.Load("/nonexistent-bundle-dir"));
        Assert.StartsWith("cannot read /nonexistent-bundle-dir/config.json", e.Message);
    }

    [Fact]
    public void State_serializes_as_the_spec_defines()
    {
        var state = new ContainerState { OciVersion = "1.2.0", Id = "c1", Status = ContainerStatus.Running, Pid = 42, Bundle = "/b" };
        var json = SpecLoader.Serialize(state);
        Assert.Equal("""{"ociVersion":"1.2.0","id":"c1","status":"running","pid":42,"bundle":"/b"}""", json);
        Assert.Equal(state, SpecLoader.ParseState(Encoding.UTF8.GetBytes(json)));
    }
}
