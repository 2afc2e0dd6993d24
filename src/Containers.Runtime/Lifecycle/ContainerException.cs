namespace Containers.Runtime.Lifecycle;

public enum ContainerErrorKind
{
    NotFound,
    AlreadyExists,
    InvalidState,
    InvalidArgument,
    Corrupt,
    Failed,
}

/// <summary>A lifecycle operation refused or failed; <see cref="Kind"/> tells callers (and cmdlets) which.</summary>
public sealed class ContainerException : Exception
{
    public ContainerException(ContainerErrorKind kind, string message, Exception? inner = null) : base(message, inner) => Kind = kind;

    public ContainerErrorKind Kind { get; }
}
