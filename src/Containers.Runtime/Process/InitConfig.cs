using System.Text.Json.Serialization;

namespace Containers.Runtime.Process;

/// <summary>What the parent tells <c>containers-runtime init</c> over the sync socket.</summary>
public sealed record InitConfig
{
    public required string ContainerId { get; init; }
    public required string Bundle { get; init; }
    /// <summary>The root filesystem as an absolute host path.</summary>
    public required string Rootfs { get; init; }
    /// <summary>config.json as serialized by <see cref="Spec.SpecLoader"/>.</summary>
    public required string SpecJson { get; init; }
    public bool NoPivot { get; init; }
    /// <summary>Unshare the cgroup namespace in init, after the parent placed it in its cgroups.</summary>
    public bool NewCgroupNamespace { get; init; }
    /// <summary>Descriptor numbers in init: the listening socket <c>start</c> connects to.</summary>
    public int StartSocketFd { get; init; } = -1;
    public int ConsoleSocketFd { get; init; } = -1;
    /// <summary>Descriptors 3 .. 3+PreserveFds-1 pass to the container process.</summary>
    public int PreserveFds { get; init; }
    /// <summary>For exec: the mount namespace to join (a descriptor number in init); -1 to create a container.</summary>
    public int JoinMountNamespaceFd { get; init; } = -1;
    /// <summary>For exec: the process to run, serialized like config.json's process.</summary>
    public string? ExecProcessJson { get; init; }
    /// <summary>For exec: the container's cgroup namespace is joined by init after its cgroups are set.</summary>
    public int JoinCgroupNamespaceFd { get; init; } = -1;
}

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(InitConfig))]
internal sealed partial class InitJsonContext : JsonSerializerContext;
