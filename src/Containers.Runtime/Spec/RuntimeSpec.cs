namespace Containers.Runtime.Spec;

/// <summary>An OCI bundle's config.json (runtime-spec 1.2, Linux).</summary>
public sealed record RuntimeSpec
{
    public string? OciVersion { get; init; }
    public ProcessSpec? Process { get; init; }
    public RootSpec? Root { get; init; }
    public string? Hostname { get; init; }
    public string? Domainname { get; init; }
    public IReadOnlyList<MountSpec>? Mounts { get; init; }
    public HooksSpec? Hooks { get; init; }
    public IReadOnlyDictionary<string, string>? Annotations { get; init; }
    public LinuxSpec? Linux { get; init; }
}

public sealed record RootSpec
{
    public string? Path { get; init; }
    public bool? Readonly { get; init; }
}

public sealed record MountSpec
{
    public string? Destination { get; init; }
    public string? Type { get; init; }
    public string? Source { get; init; }
    public IReadOnlyList<string>? Options { get; init; }
    public IReadOnlyList<IdMapping>? UidMappings { get; init; }
    public IReadOnlyList<IdMapping>? GidMappings { get; init; }
}

/// <summary>A user-namespace id range: container ids [containerID, containerID+size) map to host ids from hostID.</summary>
public sealed record IdMapping
{
    public uint ContainerID { get; init; }
    public uint HostID { get; init; }
    public uint Size { get; init; }
}
