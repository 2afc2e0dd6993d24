using System.Text.Json;
using Containers.Runtime.Seccomp;
using Containers.Runtime.Spec;

namespace Containers.Cli.Commands;

/// <summary>`features`: what this runtime implements, in the runtime-spec's features.json shape.</summary>
public static class FeaturesCommand
{
    public static int Run(GlobalOptions global, string[] args)
    {
        var features = new RuntimeFeatures
        {
            OciVersionMin = "1.0.0",
            OciVersionMax = "1.2.0",
            Hooks = ["prestart", "createRuntime", "createContainer", "startContainer", "poststart", "poststop"],
            MountOptions = ["acl", "async", "atime", "bind", "defaults", "dev", "diratime", "dirsync", "exec", "iversion", "lazytime",
                "loud", "mand", "noacl", "noatime", "nodev", "nodiratime", "noexec", "noiversion", "nolazytime", "nomand",
                "norelatime", "nostrictatime", "nosuid", "nosymfollow", "private", "rbind", "relatime", "remount", "ro",
                "rprivate", "rshared", "rslave", "runbindable", "rw", "shared", "silent", "slave", "strictatime", "suid",
                "sync", "unbindable"],
            Linux = new LinuxFeatures
            {
                Namespaces = ["cgroup", "ipc", "mount", "network", "pid", "uts"],
                Capabilities = KnownNames.Capabilities.ToList(),
                Cgroup = new CgroupFeatures { V1 = true, V2 = true, Systemd = false, SystemdUser = false },
                Seccomp = new SeccompFeatures
                {
                    Enabled = true,
                    Actions = SeccompActions.ByName.Keys.Order(StringComparer.Ordinal).ToList(),
                    Operators = SeccompOperators.ByName.Keys.Order(StringComparer.Ordinal).ToList(),
                    Archs = ["SCMP_ARCH_AARCH64", "SCMP_ARCH_X86_64"],
                    KnownFlags = ["SECCOMP_FILTER_FLAG_LOG", "SECCOMP_FILTER_FLAG_SPEC_ALLOW", "SECCOMP_FILTER_FLAG_TSYNC"],
                    SupportedFlags = ["SECCOMP_FILTER_FLAG_LOG", "SECCOMP_FILTER_FLAG_SPEC_ALLOW", "SECCOMP_FILTER_FLAG_TSYNC"],
                },
                Apparmor = new EnabledFeature { Enabled = Directory.Exists("/sys/kernel/security/apparmor") },
                Selinux = new EnabledFeature { Enabled = File.Exists("/sys/fs/selinux/enforce") },
            },
        };
        Console.WriteLine(JsonSerializer.Serialize(features, CliJsonContext.Default.RuntimeFeatures));
        return 0;
    }
}

public sealed record RuntimeFeatures
{
    public required string OciVersionMin { get; init; }
    public required string OciVersionMax { get; init; }
    public required List<string> Hooks { get; init; }
    public required List<string> MountOptions { get; init; }
    public required LinuxFeatures Linux { get; init; }
}

public sealed record LinuxFeatures
{
    public required List<string> Namespaces { get; init; }
    public required List<string> Capabilities { get; init; }
    public required CgroupFeatures Cgroup { get; init; }
    public required SeccompFeatures Seccomp { get; init; }
    public required EnabledFeature Apparmor { get; init; }
    public required EnabledFeature Selinux { get; init; }
}

public sealed record CgroupFeatures
{
    public bool V1 { get; init; }
    public bool V2 { get; init; }
    public bool Systemd { get; init; }
    public bool SystemdUser { get; init; }
}

public sealed record SeccompFeatures
{
    public bool Enabled { get; init; }
    public required List<string> Actions { get; init; }
    public required List<string> Operators { get; init; }
    public required List<string> Archs { get; init; }
    public required List<string> KnownFlags { get; init; }
    public required List<string> SupportedFlags { get; init; }
}

public sealed record EnabledFeature
{
    public bool Enabled { get; init; }
}
