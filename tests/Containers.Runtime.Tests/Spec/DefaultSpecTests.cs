using Containers.Runtime.Spec;

namespace Containers.Runtime.Tests.Spec;

public class DefaultSpecTests
{
    private readonly RuntimeSpec spec = DefaultSpec.Create();

    [Fact]
    public void Process_is_runcs_with_dockers_capabilities()
    {
        var p = spec.Process!;
        Assert.Equal(["sh"], p.Args);
        Assert.True(p.Terminal);
        Assert.Equal("/", p.Cwd);
        Assert.Equal(["PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin", "TERM=xterm"], p.Env);
        Assert.Equal(14, DefaultSpec.Capabilities.Count);
        Assert.Equal(DefaultSpec.Capabilities, p.Capabilities!.Bounding);
        Assert.Equal(DefaultSpec.Capabilities, p.Capabilities.Effective);
        Assert.Equal(DefaultSpec.Capabilities, p.Capabilities.Permitted);
        Assert.Null(p.Capabilities.Ambient);
        var nofile = Assert.Single(p.Rlimits!);
        Assert.Equal(("RLIMIT_NOFILE", 1024UL, 1024UL), (nofile.Type, nofile.Hard, nofile.Soft));
        Assert.True(p.NoNewPrivileges);
    }

    [Fact]
    public void Mounts_namespaces_and_paths_are_runcs()
    {
        Assert.Equal("rootfs", spec.Root!.Path);
        Assert.Equal(["/proc", "/dev", "/dev/pts", "/dev/shm", "/dev/mqueue", "/sys", "/sys/fs/cgroup"], spec.Mounts!.Select(m => m.Destination));
        Assert.Equal(["proc", "tmpfs", "devpts", "tmpfs", "mqueue", "sysfs", "cgroup"], spec.Mounts!.Select(m => m.Type));
        Assert.Contains("ro", spec.Mounts![5].Options!);
        Assert.Contains("ro", spec.Mounts![6].Options!);
        Assert.Equal(["pid", "network", "ipc", "uts", "mount", "cgroup"], spec.Linux!.Namespaces!.Select(n => n.Type));
        Assert.Equal(
            ["/proc/acpi", "/proc/asound", "/proc/kcore", "/proc/keys", "/proc/latency_stats", "/proc/timer_list",
             "/proc/timer_stats", "/proc/sched_debug", "/sys/firmware", "/proc/scsi", "/sys/devices/virtual/tpm"],
            spec.Linux.MaskedPaths);
        Assert.Equal(["/proc/bus", "/proc/fs", "/proc/irq", "/proc/sys", "/proc/sysrq-trigger"], spec.Linux.ReadonlyPaths);
    }

    [Fact]
    public void Seccomp_is_the_docker_default()
    {
        var seccomp = spec.Linux!.Seccomp!;
        Assert.Equal("SCMP_ACT_ERRNO", seccomp.DefaultAction);
        Assert.Equal(1u, seccomp.DefaultErrnoRet);
        Assert.Contains(seccomp.Syscalls!, s => s.Names!.Contains("clone3") && s.ErrnoRet == 38);
        Assert.Contains(seccomp.Syscalls!, s => s.Names!.Contains("read") && s.Action == "SCMP_ACT_ALLOW");
        Assert.DoesNotContain(seccomp.Syscalls!, s => s.Names!.Contains("mount"));
    }

    [Fact]
    public void Serializes_indented_like_runc_and_loads_back()
    {
        var json = DefaultSpec.Serialize(spec);
        Assert.StartsWith("{\n  \"ociVersion\": \"1.2.0\",\n  \"process\": {\n    \"terminal\": true,", json.Replace("\r\n", "\n"));
        Assert.Equal(json, DefaultSpec.Serialize(SpecLoader.Parse(json)));
    }

    [Fact]
    public void Rootless_maps_the_caller_and_drops_what_needs_privilege()
    {
        var rootless = DefaultSpec.Create(rootless: true, hostUid: 1000, hostGid: 1001);
        Assert.Equal(["pid", "ipc", "uts", "mount", "cgroup", "user"], rootless.Linux!.Namespaces!.Select(n => n.Type));
        Assert.Equal(1000u, Assert.Single(rootless.Linux.UidMappings!).HostID);
        Assert.Equal(1001u, Assert.Single(rootless.Linux.GidMappings!).HostID);
        Assert.Null(rootless.Linux.Resources);
        Assert.Equal("none", rootless.Mounts!.Single(m => m.Destination == "/sys").Type);
        Assert.DoesNotContain("gid=5", rootless.Mounts!.Single(m => m.Destination == "/dev/pts").Options!);
        Assert.Empty(SpecValidator.Validate(rootless));
    }
}
