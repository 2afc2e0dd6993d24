namespace Containers.Interop;

/// <summary>The architectures whose syscall numbers <see cref="SyscallTable"/> knows.</summary>
public enum SyscallArchitecture
{
    /// <summary>x86_64 (AUDIT_ARCH_X86_64).</summary>
    X86_64,

    /// <summary>aarch64 (AUDIT_ARCH_AARCH64).</summary>
    Aarch64,

    /// <summary>i386, the compat ABI of x86_64 kernels (AUDIT_ARCH_I386).</summary>
    X86,

    /// <summary>32-bit arm EABI, the compat ABI of aarch64 kernels (AUDIT_ARCH_ARM).</summary>
    Arm,

    /// <summary>x32: AUDIT_ARCH_X86_64 with __X32_SYSCALL_BIT set in every syscall number.</summary>
    X32,
}
