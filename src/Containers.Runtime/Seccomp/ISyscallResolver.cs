namespace Containers.Runtime.Seccomp;

/// <summary>Maps syscall names to numbers per architecture; injected so the compiler is testable.</summary>
public interface ISyscallResolver
{
    /// <summary>Whether this resolver has a syscall table for the architecture at all.</summary>
    bool Supports(SeccompArchitecture architecture);

    /// <summary>The number (x32: including <see cref="SeccompArchitecture.X32SyscallBit"/>), or null when the architecture lacks the call.</summary>
    int? Resolve(string name, SeccompArchitecture architecture);
}

/// <summary>A resolver from a function, for tests and for tables kept elsewhere.</summary>
public sealed class DelegateSyscallResolver(
    Func<string, SeccompArchitecture, int?> resolve,
    params SeccompArchitecture[] architectures) : ISyscallResolver
{
    public bool Supports(SeccompArchitecture architecture) => architectures.Contains(architecture);

    public int? Resolve(string name, SeccompArchitecture architecture) =>
        Supports(architecture) ? resolve(name, architecture) : null;
}
