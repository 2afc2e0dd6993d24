using Containers.Runtime.Seccomp;

namespace Containers.Runtime.Spec;

/// <summary>
/// The config <c>containers-runtime spec</c> writes and the engine starts from: runc's example spec
/// (mounts, namespaces, masked and read-only paths, RLIMIT_NOFILE) with Docker's default capabilities
/// and a seccomp profile equivalent to Docker's default.
/// </summary>
public static class DefaultSpec
{
    public const string OciVersion = "1.2.0";

    /// <summary>Docker's default capability set, in Docker's order.</summary>
    public static IReadOnlyList<string> Capabilities { get; } =
    [
        "CAP_CHOWN", "CAP_DAC_OVERRIDE", "CAP_FSETID", "CAP_FOWNER", "CAP_MKNOD", "CAP_NET_RAW", "CAP_SETGID",
        "CAP_SETUID", "CAP_SETFCAP", "CAP_SETPCAP", "CAP_NET_BIND_SERVICE", "CAP_SYS_CHROOT", "CAP_KILL",
        "CAP_AUDIT_WRITE",
    ];

    /// <summary>runc's masked paths, in runc's order.</summary>
    public static IReadOnlyList<string> MaskedPaths { get; } =
    [
        "/proc/acpi", "/proc/asound", "/proc/kcore", "/proc/keys", "/proc/latency_stats", "/proc/timer_list",
        "/proc/timer_stats", "/proc/sched_debug", "/sys/firmware", "/proc/scsi", "/sys/devices/virtual/tpm",
    ];

    /// <summary>runc's read-only paths, in runc's order.</summary>
    public static IReadOnlyList<string> ReadonlyPaths { get; } =
        ["/proc/bus", "/proc/fs", "/proc/irq", "/proc/sys", "/proc/sysrq-trigger"];

    /// <summary>
    /// A complete config. Rootless (as <c>runc spec --rootless</c>): no network namespace, a user namespace
    /// mapping container root to <paramref name="hostUid"/>/<paramref name="hostGid"/>, /sys bound from the
    /// host, no uid=/gid= mount options and no cgroup resources.
    /// </summary>
    public static RuntimeSpec Create(bool rootless = false, uint hostUid = 0, uint hostGid = 0, SeccompArchitecture? architecture = null)
    {
        var spec = new RuntimeSpec
        {
            OciVersion = OciVersion,
            Process = new ProcessSpec
            {
                Terminal = true,
                User = new UserSpec { Uid = 0, Gid = 0 },
                Args = ["sh"],
                Env = ["PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin", "TERM=xterm"],
                Cwd = "/",
                Capabilities = new CapabilitiesSpec
                {
                    Bounding = [.. Capabilities],
                    Effective = [.. Capabilities],
                    Permitted = [.. Capabilities],
                },
                Rlimits = [new RlimitSpec { Type = "RLIMIT_NOFILE", Hard = 1024, Soft = 1024 }],
                NoNewPrivileges = true,
            },
            Root = new RootSpec { Path = "rootfs", Readonly = true },
            Hostname = "containers",
            Mounts = Mounts(),
            Linux = new LinuxSpec
            {
                Resources = new ResourcesSpec { Devices = [new DeviceCgroupSpec { Allow = false, Access = "rwm" }] },
                Namespaces = Namespaces("pid", "network", "ipc", "uts", "mount", "cgroup"),
                Seccomp = DefaultSeccompProfile.Create(Capabilities, architecture),
                MaskedPaths = [.. MaskedPaths],
                ReadonlyPaths = [.. ReadonlyPaths],
            },
        };
        return rootless ? ToRootless(spec, hostUid, hostGid) : spec;
    }

    /// <summary>Indented JSON, as <c>runc spec</c> writes config.json.</summary>
    public static string Serialize(RuntimeSpec spec) => SpecLoader.Serialize(spec);

    private static List<MountSpec> Mounts() =>
    [
        new() { Destination = "/proc", Type = "proc", Source = "proc" },
        new() { Destination = "/dev", Type = "tmpfs", Source = "tmpfs", Options = ["nosuid", "strictatime", "mode=755", "size=65536k"] },
        new()
        {
            Destination = "/dev/pts", Type = "devpts", Source = "devpts",
            Options = ["nosuid", "noexec", "newinstance", "ptmxmode=0666", "mode=0620", "gid=5"],
        },
        new() { Destination = "/dev/shm", Type = "tmpfs", Source = "shm", Options = ["nosuid", "noexec", "nodev", "mode=1777", "size=65536k"] },
        new() { Destination = "/dev/mqueue", Type = "mqueue", Source = "mqueue", Options = ["nosuid", "noexec", "nodev"] },
        new() { Destination = "/sys", Type = "sysfs", Source = "sysfs", Options = ["nosuid", "noexec", "nodev", "ro"] },
        new()
        {
            Destination = "/sys/fs/cgroup", Type = "cgroup", Source = "cgroup",
            Options = ["nosuid", "noexec", "nodev", "relatime", "ro"],
        },
    ];

    private static List<NamespaceSpec> Namespaces(params string[] types) =>
        [.. types.Select(type => new NamespaceSpec { Type = type })];

    private static RuntimeSpec ToRootless(RuntimeSpec spec, uint hostUid, uint hostGid)
    {
        var linux = spec.Linux!;
        var namespaces = linux.Namespaces!.Where(n => n.Type is not ("network" or "user")).ToList();
        namespaces.Add(new NamespaceSpec { Type = "user" });
        var mounts = spec.Mounts!.Select(m => m.Destination == "/sys"
            ? new MountSpec { Destination = "/sys", Type = "none", Source = "/sys", Options = ["rbind", "nosuid", "noexec", "nodev", "ro"] }
            : m with { Options = m.Options?.Where(o => !o.StartsWith("uid=", StringComparison.Ordinal) && !o.StartsWith("gid=", StringComparison.Ordinal)).ToList() })
            .ToList();
        return spec with
        {
            Mounts = mounts,
            Linux = linux with
            {
                Namespaces = namespaces,
                UidMappings = [new IdMapping { ContainerID = 0, HostID = hostUid, Size = 1 }],
                GidMappings = [new IdMapping { ContainerID = 0, HostID = hostGid, Size = 1 }],
                Resources = null,
            },
        };
    }
}
