namespace Containers.Runtime.Spec;

/// <summary>The runtime state the spec defines: printed by <c>state</c>, written to hooks' stdin.</summary>
public sealed record ContainerState
{
    public required string OciVersion { get; init; }
    public required string Id { get; init; }
    /// <summary>creating, created, running or stopped.</summary>
    public required string Status { get; init; }
    /// <summary>Absent once the container has stopped.</summary>
    public int? Pid { get; init; }
    public required string Bundle { get; init; }
    public IReadOnlyDictionary<string, string>? Annotations { get; init; }
}

public static class ContainerStatus
{
    public const string Creating = "creating";
    public const string Created = "created";
    public const string Running = "running";
    public const string Stopped = "stopped";
}
