using System.Text.Json.Serialization;

namespace Containers.Engine;

/// <summary>DATA/containers/ID/container.json: the request and the state bits the engine owns.</summary>
internal sealed record StoredContainer
{
    public required string Id { get; init; }
    public required string Name { get; init; }
    public required DateTimeOffset CreatedAt { get; init; }
    public required ContainerCreateRequest Request { get; init; }
    /// <summary>The full path of what Rootfs named (a directory or a tarball).</summary>
    public required string RootfsSource { get; init; }
    /// <summary>The overlay's lower directory: the user's directory or the extracted tarball.</summary>
    public required string LowerDir { get; init; }
    /// <summary>"overlay" (mounted on bundle/rootfs) or "copy" (bundle/rootfs is a private copy).</summary>
    public required string RootfsMode { get; init; }
    public required IReadOnlyList<string> Command { get; init; }
    /// <summary>The normalized reference of the image; null for a rootfs container.</summary>
    public string? Image { get; init; }
    /// <summary>The image's ID (config digest): what the image store's InUse hook asks about.</summary>
    public string? ImageId { get; init; }
    /// <summary>The image's layer directories, bottom first: the overlay's lower directories.</summary>
    public IReadOnlyList<string>? ImageLayers { get; init; }
    public IReadOnlyList<string>? ExposedPorts { get; init; }
    public IReadOnlyList<string>? Volumes { get; init; }
    public DateTimeOffset? StartedAt { get; init; }
    /// <summary>Just before the shim of the latest start was spawned: Attach replays this run's lines from here.</summary>
    public DateTimeOffset? RunSince { get; init; }
    public int? ShimPid { get; init; }
    public ulong? ShimStartTime { get; init; }
}

// The shim's files and messages (src/containers-runtime/Shim/ShimFormats.cs keeps the other copy).

/// <summary>DATA/containers/ID/exit.json.</summary>
internal sealed record ShimExit
{
    public int? ExitCode { get; init; }
    public DateTimeOffset FinishedAt { get; init; }
    public string Reason { get; init; } = "exited";
}

internal sealed record ShimStartResult
{
    public bool Ok { get; init; }
    public string? Error { get; init; }
    public int ShimPid { get; init; }
    public int Pid { get; init; }
    public DateTimeOffset StartedAt { get; init; }
}

/// <summary>One line of container.log.</summary>
internal sealed record LogLine
{
    public string Stream { get; init; } = "stdout";
    public DateTimeOffset Time { get; init; }
    public string Line { get; init; } = string.Empty;
}

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    WriteIndented = true)]
[JsonSerializable(typeof(StoredContainer))]
[JsonSerializable(typeof(ShimExit))]
[JsonSerializable(typeof(ShimStartResult))]
[JsonSerializable(typeof(LogLine))]
internal sealed partial class EngineJsonContext : JsonSerializerContext;
