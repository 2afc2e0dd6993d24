namespace Containers.Runtime.Spec;

public sealed record LinuxSpec
{
    public IReadOnlyList<NamespaceSpec>? Namespaces { get; init; }
    public IReadOnlyList<IdMapping>? UidMappings { get; init; }
    public IReadOnlyList<IdMapping>? GidMappings { get; init; }
    /// <summary>Keyed by clock: "monotonic" or "boottime".</summary>
    public IReadOnlyDictionary<string, TimeOffsetSpec>? TimeOffsets { get; init; }
    public IReadOnlyList<DeviceSpec>? Devices { get; init; }
    public IReadOnlyDictionary<string, NetDeviceSpec>? NetDevices { get; init; }
    public string? CgroupsPath { get; init; }
    public ResourcesSpec? Resources { get; init; }
    public IntelRdtSpec? IntelRdt { get; init; }
    public IReadOnlyDictionary<string, string>? Sysctl { get; init; }
    public SeccompSpec? Seccomp { get; init; }
    public string? RootfsPropagation { get; init; }
    public IReadOnlyList<string>? MaskedPaths { get; init; }
    public IReadOnlyList<string>? ReadonlyPaths { get; init; }
    public string? MountLabel { get; init; }
    public PersonalitySpec? Personality { get; init; }
}

public sealed record NamespaceSpec
{
    /// <summary>pid, network, mount, ipc, uts, user, cgroup or time.</summary>
    public string? Type { get; init; }
    /// <summary>An existing namespace to join; absent to create a new one.</summary>
    public string? Path { get; init; }
}

public sealed record TimeOffsetSpec
{
    public long Secs { get; init; }
    public uint Nanosecs { get; init; }
}

public sealed record DeviceSpec
{
    /// <summary>c, b, u or p.</summary>
    public string? Type { get; init; }
    public string? Path { get; init; }
    public long Major { get; init; }
    public long Minor { get; init; }
    public uint? FileMode { get; init; }
    public uint? Uid { get; init; }
    public uint? Gid { get; init; }
}

public sealed record NetDeviceSpec
{
    public string? Name { get; init; }
}

public sealed record IntelRdtSpec
{
    public string? ClosID { get; init; }
    public string? L3CacheSchema { get; init; }
    public string? MemBwSchema { get; init; }
    public IReadOnlyList<string>? Schemata { get; init; }
    public bool? EnableCMT { get; init; }
    public bool? EnableMBM { get; init; }
    public bool? EnableMonitoring { get; init; }
}

public sealed record PersonalitySpec
{
    /// <summary>LINUX or LINUX32.</summary>
    public string? Domain { get; init; }
    public IReadOnlyList<string>? Flags { get; init; }
}
