namespace Containers.Interop;

/// <summary>The architectures whose syscall numbers <see cref="SyscallTable"/> knows.</summary>
public enum SyscallArchitecture
{
    /// <summary>x86_64 (AUDIT_ARCH_X86_64).</summary>
    X86_64,

    /// <summary>aarch64 (AUDIT_ARCH_AARCH64).</summary>
    Aarch64,
}
