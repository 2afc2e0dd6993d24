namespace Containers.Runtime.Spec;

public sealed record ProcessSpec
{
    public bool? Terminal { get; init; }
    public ConsoleSize? ConsoleSize { get; init; }
    public UserSpec? User { get; init; }
    public IReadOnlyList<string>? Args { get; init; }
    /// <summary>Windows only in the spec; kept so a config that carries it round-trips.</summary>
    public string? CommandLine { get; init; }
    public IReadOnlyList<string>? Env { get; init; }
    public string? Cwd { get; init; }
    public CapabilitiesSpec? Capabilities { get; init; }
    public IReadOnlyList<RlimitSpec>? Rlimits { get; init; }
    public bool? NoNewPrivileges { get; init; }
    public string? ApparmorProfile { get; init; }
    public int? OomScoreAdj { get; init; }
    public string? SelinuxLabel { get; init; }
    public IoPrioritySpec? IoPriority { get; init; }
    public SchedulerSpec? Scheduler { get; init; }
    public CpuAffinitySpec? ExecCPUAffinity { get; init; }
}

public sealed record ConsoleSize
{
    public uint Height { get; init; }
    public uint Width { get; init; }
}

public sealed record UserSpec
{
    public uint Uid { get; init; }
    public uint Gid { get; init; }
    public uint? Umask { get; init; }
    public IReadOnlyList<uint>? AdditionalGids { get; init; }
    /// <summary>Windows only in the spec.</summary>
    public string? Username { get; init; }
}

public sealed record CapabilitiesSpec
{
    public IReadOnlyList<string>? Bounding { get; init; }
    public IReadOnlyList<string>? Effective { get; init; }
    public IReadOnlyList<string>? Inheritable { get; init; }
    public IReadOnlyList<string>? Permitted { get; init; }
    public IReadOnlyList<string>? Ambient { get; init; }
}

public sealed record RlimitSpec
{
    public string? Type { get; init; }
    public ulong Hard { get; init; }
    public ulong Soft { get; init; }
}

public sealed record IoPrioritySpec
{
    public string? Class { get; init; }
    public int Priority { get; init; }
}

public sealed record SchedulerSpec
{
    public string? Policy { get; init; }
    public int? Nice { get; init; }
    public int? Priority { get; init; }
    public IReadOnlyList<string>? Flags { get; init; }
    public ulong? Runtime { get; init; }
    public ulong? Deadline { get; init; }
    public ulong? Period { get; init; }
}

public sealed record CpuAffinitySpec
{
    public string? Initial { get; init; }
    public string? Final { get; init; }
}
