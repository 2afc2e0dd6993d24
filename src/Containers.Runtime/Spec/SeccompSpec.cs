namespace Containers.Runtime.Spec;

public sealed record SeccompSpec
{
    /// <summary>SCMP_ACT_* applied to every call no rule matches.</summary>
    public string? DefaultAction { get; init; }
    public uint? DefaultErrnoRet { get; init; }
    /// <summary>SCMP_ARCH_*; empty means the native architecture only.</summary>
    public IReadOnlyList<string>? Architectures { get; init; }
    /// <summary>SECCOMP_FILTER_FLAG_*.</summary>
    public IReadOnlyList<string>? Flags { get; init; }
    public string? ListenerPath { get; init; }
    public string? ListenerMetadata { get; init; }
    public IReadOnlyList<SeccompSyscallSpec>? Syscalls { get; init; }
}

public sealed record SeccompSyscallSpec
{
    public IReadOnlyList<string>? Names { get; init; }
    public string? Action { get; init; }
    public uint? ErrnoRet { get; init; }
    /// <summary>All conditions must hold (AND).</summary>
    public IReadOnlyList<SeccompArgSpec>? Args { get; init; }
}

public sealed record SeccompArgSpec
{
    public uint Index { get; init; }
    public ulong Value { get; init; }
    public ulong? ValueTwo { get; init; }
    /// <summary>SCMP_CMP_NE, LT, LE, EQ, GE, GT or MASKED_EQ.</summary>
    public string? Op { get; init; }
}
