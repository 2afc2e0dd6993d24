using Containers.Runtime.Spec;

namespace Containers.Runtime.Tests.Spec;

public class SpecValidatorTests
{
    [Fact]
    public void The_default_config_is_valid()
    {
        Assert.Empty(SpecValidator.Validate(SpecLoader.ParseJson(ConfigJson.Utf8(ConfigJson.Default()))));
        Assert.Empty(SpecValidator.Validate(SpecLoader.ParseJson(ConfigJson.Utf8(ConfigJson.Minimal))));
    }

    [Theory]
    [InlineData("ociVersion", null, "ociVersion: required")]
    [InlineData("ociVersion", "\"2.0.0\"", "ociVersion: \"2.0.0\" is not a 1.x version of the runtime spec")]
    [InlineData("root", null, "root: required")]
    [InlineData("root.path", "\"\"", "root.path: required")]
    [InlineData("process", null, "process: required")]
    [InlineData("process", "null", "process: required")]
    [InlineData("process.args", "[]", "process.args: must not be empty")]
    [InlineData("process.args", null, "process.args: must not be empty")]
    [InlineData("process.args[1]", "null", "process.args[1]: must be a string, not null")]
    [InlineData("process.cwd", "\"tmp\"", "process.cwd: \"tmp\" must be an absolute path")]
    [InlineData("process.env[1]", "\"NOEQUALS\"", "process.env[1]: \"NOEQUALS\" must have the form NAME=value")]
    [InlineData("process.user.umask", "1024", "process.user.umask: 1024 is larger than 0777 (511)")]
    [InlineData("process.capabilities.bounding[2]", "\"CAP_NOPE\"", "process.capabilities.bounding[2]: unknown capability \"CAP_NOPE\"")]
    [InlineData("process.capabilities.ambient", "[\"CAP_KILL\", null]", "process.capabilities.ambient[1]: unknown capability null")]
    [InlineData("process.rlimits[0].type", "\"RLIMIT_FOO\"", "process.rlimits[0].type: unknown rlimit \"RLIMIT_FOO\"")]
    [InlineData("process.rlimits[1]", "{\"type\":\"RLIMIT_NOFILE\",\"hard\":1,\"soft\":1}", "process.rlimits[1]: duplicate rlimit \"RLIMIT_NOFILE\"")]
    [InlineData("process.rlimits[0].soft", "2048", "process.rlimits[0]: soft limit 2048 is larger than hard limit 1024")]
    [InlineData("process.oomScoreAdj", "1001", "process.oomScoreAdj: 1001 is outside -1000..1000")]
    [InlineData("process.ioPriority", "{\"class\":\"IOPRIO_CLASS_XX\",\"priority\":0}", "process.ioPriority.class: unknown class \"IOPRIO_CLASS_XX\"")]
    [InlineData("process.scheduler", "{\"policy\":\"SCHED_FIFO\",\"priority\":0}", "process.scheduler.priority: 0 is outside 1..99")]
    [InlineData("mounts[1].destination", "\"dev\"", "mounts[1].destination: \"dev\" must be an absolute path")]
    [InlineData("mounts[2]", "null", "mounts[2]: must be an object, not null")]
    [InlineData("hooks.prestart[0]", "{\"path\":\"bin/hook\"}", "hooks.prestart[0].path: \"bin/hook\" must be an absolute path")]
    [InlineData("hooks.poststop[0]", "{\"path\":\"/bin/hook\",\"timeout\":0}", "hooks.poststop[0].timeout: must be positive, not 0")]
    [InlineData("linux.namespaces[2].type", "\"nett\"", "linux.namespaces[2].type: unknown \"nett\"")]
    [InlineData("linux.namespaces[6]", "{\"type\":\"pid\"}", "linux.namespaces[6]: duplicate namespace \"pid\"")]
    [InlineData("linux.namespaces[0].path", "\"proc/1/ns/pid\"", "linux.namespaces[0].path: \"proc/1/ns/pid\" must be an absolute path")]
    [InlineData("linux.uidMappings", "[{\"containerID\":0,\"hostID\":1000,\"size\":1}]", "linux.uidMappings: needs a user namespace (linux.namespaces)")]
    [InlineData("linux.namespaces[6]", "{\"type\":\"user\"}", "linux.uidMappings: a new user namespace needs both uidMappings and gidMappings")]
    [InlineData("linux.timeOffsets", "{\"monotonic\":{\"secs\":1}}", "linux.timeOffsets: needs a new time namespace (linux.namespaces)")]
    [InlineData("linux.devices[0]", "{\"type\":\"x\",\"path\":\"/dev/x\"}", "linux.devices[0].type: unknown device type \"x\" (c, b, u or p)")]
    [InlineData("linux.cgroupsPath", "\"a:b\"", "linux.cgroupsPath: \"a:b\" is neither a path nor slice:prefix:name")]
    [InlineData("linux.cgroupsPath", "\"/x/../../y\"", "linux.cgroupsPath: \"/x/../../y\" must not contain \"..\"")]
    [InlineData("linux.resources.memory", "{\"limit\":1000000,\"swap\":1000}", "linux.resources.memory.swap: 1000 is less than memory.limit 1000000 (swap is memory plus swap)")]
    [InlineData("linux.resources.cpu", "{\"cpus\":\"0-a\"}", "linux.resources.cpu.cpus: \"0-a\" is not a list like \"0-3,7\"")]
    [InlineData("linux.resources.devices[1]", "{\"allow\":true,\"access\":\"rwx\"}", "linux.resources.devices[1].access: \"rwx\" may hold only r, w and m")]
    [InlineData("linux.rootfsPropagation", "\"rsharedx\"", "linux.rootfsPropagation: unknown propagation \"rsharedx\"")]
    [InlineData("linux.maskedPaths[0]", "\"proc/kcore\"", "linux.maskedPaths[0]: \"proc/kcore\" must be an absolute path")]
    [InlineData("linux.personality", "{\"domain\":\"LINUX64\"}", "linux.personality.domain: unknown domain \"LINUX64\"")]
    [InlineData("linux.seccomp.defaultAction", "\"SCMP_ACT_NOPE\"", "linux.seccomp.defaultAction: unknown action \"SCMP_ACT_NOPE\"")]
    [InlineData("linux.seccomp.defaultAction", "\"SCMP_ACT_NOTIFY\"", "linux.seccomp.defaultAction: SCMP_ACT_NOTIFY cannot be the default action")]
    [InlineData("linux.seccomp.architectures[1]", "\"SCMP_ARCH_Z80\"", "linux.seccomp.architectures[1]: unknown architecture \"SCMP_ARCH_Z80\"")]
    [InlineData("linux.seccomp.flags", "[\"SECCOMP_FILTER_FLAG_NOPE\"]", "linux.seccomp.flags[0]: unknown flag \"SECCOMP_FILTER_FLAG_NOPE\"")]
    [InlineData("linux.seccomp.syscalls[0].action", "\"ALLOW\"", "linux.seccomp.syscalls[0].action: unknown action \"ALLOW\"")]
    [InlineData("linux.seccomp.syscalls[0].names", "[]", "linux.seccomp.syscalls[0].names: must not be empty")]
    [InlineData("linux.seccomp.syscalls[2].args[0].op", "\"SCMP_CMP_APPROX\"", "linux.seccomp.syscalls[2].args[0].op: unknown operator \"SCMP_CMP_APPROX\"")]
    [InlineData("linux.seccomp.syscalls[2].args[0].index", "6", "linux.seccomp.syscalls[2].args[0].index: 6 is outside 0..5")]
    [InlineData("linux.seccomp.syscalls[0].errnoRet", "5", "linux.seccomp.syscalls[0].errnoRet: only valid with SCMP_ACT_ERRNO or SCMP_ACT_TRACE, not SCMP_ACT_ALLOW")]
    [InlineData("linux.seccomp.syscalls[0].action", "\"SCMP_ACT_NOTIFY\"", "linux.seccomp.syscalls[0].names[269]: sendmsg cannot use SCMP_ACT_NOTIFY")]
    [InlineData("linux.seccomp.syscalls[1]", "{\"names\":[\"mkdir\"],\"action\":\"SCMP_ACT_NOTIFY\"}", "linux.seccomp.listenerPath: required when a rule uses SCMP_ACT_NOTIFY")]
    [InlineData("linux.seccomp.listenerMetadata", "\"agent-data\"", "linux.seccomp.listenerMetadata: only valid with listenerPath")]
    [InlineData("linux.seccomp.listenerPath", "\"run/agent.sock\"", "linux.seccomp.listenerPath: \"run/agent.sock\" must be an absolute path")]
    public void Rejects_with_the_path_and_reason(string path, string? value, string message)
    {
        var e = Assert.Throws<SpecException>(() => SpecLoader.Parse(ConfigJson.With(path, value)));
        Assert.Equal(message, e.Message.Split(" (and ")[0]);
    }

    [Theory]
    [InlineData("net.ipv4.ip_forward", "network", "linux.sysctl.net.ipv4.ip_forward: needs a new network namespace (linux.namespaces)")]
    [InlineData("kernel.shmmax", "ipc", "linux.sysctl.kernel.shmmax: needs a new ipc namespace (linux.namespaces)")]
    [InlineData("fs.mqueue.msg_max", "ipc", "linux.sysctl.fs.mqueue.msg_max: needs a new ipc namespace (linux.namespaces)")]
    [InlineData("kernel.hostname", null, "linux.sysctl.kernel.hostname: conflicts with the hostname field; set that instead")]
    [InlineData("vm.swappiness", null, "linux.sysctl.vm.swappiness: is not in a separate kernel namespace")]
    public void Sysctls_need_their_namespace(string key, string? removedNamespace, string message)
    {
        var spec = DefaultSpec.Create();
        var namespaces = spec.Linux!.Namespaces!.Where(n => n.Type != removedNamespace).ToList();
        spec = spec with { Linux = spec.Linux with { Namespaces = namespaces, Sysctl = new Dictionary<string, string> { [key] = "1" } } };
        var errors = SpecValidator.Validate(spec);
        Assert.Equal(message, Assert.Single(errors).ToString());
    }

    [Theory]
    [InlineData("net.ipv4.ip_forward")]
    [InlineData("kernel.shmmax")]
    [InlineData("net/ipv4/ip_forward")]
    public void Sysctls_with_their_namespace_are_accepted(string key)
    {
        var spec = DefaultSpec.Create();
        spec = spec with { Linux = spec.Linux! with { Sysctl = new Dictionary<string, string> { [key] = "1" } } };
        Assert.Empty(SpecValidator.Validate(spec));
    }

    [Fact]
    public void Capabilities_past_the_kernels_last_are_rejected()
    {
        var json = ConfigJson.With("process.capabilities.bounding[0]", "\"CAP_CHECKPOINT_RESTORE\"");
        var e = Assert.Throws<SpecException>(() => SpecLoader.Parse(json, new SpecValidatorOptions { CapLastCap = 39 }));
        Assert.Equal("process.capabilities.bounding[0]: \"CAP_CHECKPOINT_RESTORE\" is not supported by this kernel (cap_last_cap is 39)", e.Message);
    }

    [Fact]
    public void Hostname_needs_a_uts_namespace()
    {
        var e = Assert.Throws<SpecException>(() => SpecLoader.Parse(ConfigJson.With("linux.namespaces[3]", "{\"type\":\"time\"}")));
        Assert.Equal("hostname: needs a new uts namespace (linux.namespaces)", e.Message);
    }

    [Fact]
    public void A_user_namespace_with_mappings_is_accepted()
    {
        var spec = DefaultSpec.Create(rootless: true, hostUid: 1000, hostGid: 1000);
        Assert.Empty(SpecValidator.Validate(spec));
    }

    [Fact]
    public void All_errors_are_collected_in_order()
    {
        var json = ConfigJson.With("process.cwd", "\"x\"", ConfigJson.With("process.args", "[]"));
        var e = Assert.Throws<SpecException>(() => SpecLoader.Parse(json));
        Assert.Equal(["process.args", "process.cwd"], e.Errors.Select(x => x.Path));
        Assert.Equal("process.args: must not be empty (and 1 more)", e.Message);
    }
}
