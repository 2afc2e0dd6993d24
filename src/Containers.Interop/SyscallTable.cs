using System.Runtime.InteropServices;

namespace Containers.Interop;

/// <summary>
/// Syscall names and numbers (the lookups are generated from syscalls.tsv), and the audit
/// architecture values a seccomp filter checks first.
/// </summary>
public static partial class SyscallTable
{
    /// <summary>AUDIT_ARCH_X86_64 (EM_X86_64 | __AUDIT_ARCH_64BIT | __AUDIT_ARCH_LE), as seccomp_data.arch reports it.</summary>
    public const uint AuditArchX86_64 = 0xC000003E;

    /// <summary>AUDIT_ARCH_AARCH64 (EM_AARCH64 | __AUDIT_ARCH_64BIT | __AUDIT_ARCH_LE).</summary>
    public const uint AuditArchAarch64 = 0xC00000B7;

    /// <summary>AUDIT_ARCH_I386 (EM_386 | __AUDIT_ARCH_LE).</summary>
    public const uint AuditArchI386 = 0x40000003;

    /// <summary>AUDIT_ARCH_ARM (EM_ARM | __AUDIT_ARCH_LE).</summary>
    public const uint AuditArchArm = 0x40000028;

    /// <summary>__X32_SYSCALL_BIT: set in the number of every x32 call (x32 shares AUDIT_ARCH_X86_64).</summary>
    public const int X32SyscallBit = 0x40000000;

    /// <summary>The architecture of this process; throws on architectures the table lacks.</summary>
    public static SyscallArchitecture Current => RuntimeInformation.ProcessArchitecture switch
    {
        Architecture.X64 => SyscallArchitecture.X86_64,
        Architecture.Arm64 => SyscallArchitecture.Aarch64,
        Architecture other => throw new PlatformNotSupportedException($"No syscall table for {other}."),
    };

    /// <summary>The AUDIT_ARCH_* value of <paramref name="architecture"/>.</summary>
    public static uint AuditArch(SyscallArchitecture architecture) => architecture switch
    {
        SyscallArchitecture.X86_64 => AuditArchX86_64,
        SyscallArchitecture.Aarch64 => AuditArchAarch64,
        SyscallArchitecture.X86 => AuditArchI386,
        SyscallArchitecture.Arm => AuditArchArm,
        SyscallArchitecture.X32 => AuditArchX86_64,
        _ => throw new ArgumentOutOfRangeException(nameof(architecture)),
    };

    /// <summary>The number of <paramref name="name"/> on the running architecture.</summary>
    public static bool TryGetNumber(string name, out int number) => TryGetNumber(name, Current, out number);
}
