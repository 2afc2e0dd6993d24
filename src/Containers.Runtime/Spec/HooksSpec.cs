namespace Containers.Runtime.Spec;

public sealed record HooksSpec
{
    /// <summary>Deprecated by the spec in favour of createRuntime/createContainer/startContainer, still honoured.</summary>
    public IReadOnlyList<HookSpec>? Prestart { get; init; }
    public IReadOnlyList<HookSpec>? CreateRuntime { get; init; }
    public IReadOnlyList<HookSpec>? CreateContainer { get; init; }
    public IReadOnlyList<HookSpec>? StartContainer { get; init; }
    public IReadOnlyList<HookSpec>? Poststart { get; init; }
    public IReadOnlyList<HookSpec>? Poststop { get; init; }
}

public sealed record HookSpec
{
    public string? Path { get; init; }
    public IReadOnlyList<string>? Args { get; init; }
    public IReadOnlyList<string>? Env { get; init; }
    /// <summary>Seconds; must be positive when present.</summary>
    public int? Timeout { get; init; }
}
