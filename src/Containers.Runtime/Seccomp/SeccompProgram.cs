namespace Containers.Runtime.Seccomp;

/// <summary>A syscall name a rule used that has no number on one of the filter's architectures.</summary>
public sealed record UnresolvedSyscall(string Name, string Architecture);

/// <summary>The compiled filter and what the caller needs to install it and to log what was left out.</summary>
public sealed record SeccompProgram
{
    public required IReadOnlyList<SockFilter> Instructions { get; init; }

    /// <summary>For seccomp(SECCOMP_SET_MODE_FILTER, flags, …); includes NewListener when a rule notifies.</summary>
    public required SeccompFilterFlags Flags { get; init; }

    /// <summary>The architectures the program admits, native first.</summary>
    public required IReadOnlyList<SeccompArchitecture> Architectures { get; init; }

    /// <summary>Listed architectures with no syscall table here: their calls get the bad-architecture action.</summary>
    public required IReadOnlyList<string> SkippedArchitectures { get; init; }

    /// <summary>Names skipped on an architecture (runc skips them too, with a debug note).</summary>
    public required IReadOnlyList<UnresolvedSyscall> UnresolvedSyscalls { get; init; }

    /// <summary>True when a rule returns SCMP_ACT_NOTIFY: install with NewListener and pass the fd on.</summary>
    public bool NeedsListener => Flags.HasFlag(SeccompFilterFlags.NewListener);
}
