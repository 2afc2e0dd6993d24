using System.Text.Json.Serialization;

namespace Containers.Runtime.Lifecycle;

/// <summary>What the runtime keeps about a container in ROOT/ID/state.json between commands.</summary>
public sealed record ContainerRecord
{
    public required string Id { get; init; }
    public required string Bundle { get; init; }
    public required string Rootfs { get; init; }
    /// <summary>The container's init (then its process) as the host sees it.</summary>
    public int Pid { get; init; }
    /// <summary>/proc/PID/stat start time: tells our process from a later one that reuses the pid.</summary>
    public ulong PidStartTime { get; init; }
    public required DateTimeOffset Created { get; init; }
    /// <summary>config.json as it was at create (the bundle may be gone by delete).</summary>
    public required string SpecJson { get; init; }
    public required string CgroupsPath { get; init; }
    /// <summary>/proc/self/cgroup of the process that created it: relative cgroup paths resolve against it.</summary>
    public required string CreatorCgroups { get; init; }
    public IReadOnlyDictionary<string, string>? Annotations { get; init; }
    /// <summary>Set once `start` has run: the container's process was exec'd.</summary>
    public bool Started { get; init; }
}

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, WriteIndented = false,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(ContainerRecord))]
[JsonSerializable(typeof(List<ContainerSummary>))]
internal sealed partial class LifecycleJsonContext : JsonSerializerContext;

/// <summary>One line of `list --format json`, as runc prints it.</summary>
public sealed record ContainerSummary
{
    public required string Id { get; init; }
    public int Pid { get; init; }
    public required string Status { get; init; }
    public required string Bundle { get; init; }
    public required string Rootfs { get; init; }
    public required DateTimeOffset Created { get; init; }
    public IReadOnlyDictionary<string, string>? Annotations { get; init; }
    public string Owner { get; init; } = "root";
}
