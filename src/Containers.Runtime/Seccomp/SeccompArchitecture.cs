namespace Containers.Runtime.Seccomp;

/// <summary>
/// An SCMP_ARCH_* name with what the filter needs to know: the AUDIT_ARCH_* value the kernel puts in
/// seccomp_data.arch, the word size (32-bit ABIs compare only the low half of arguments, as libseccomp
/// does) and the byte order (where each half of a 64-bit argument sits).
/// </summary>
public sealed record SeccompArchitecture(string Name, uint AuditArch, bool Is64Bit, bool IsBigEndian)
{
    // AUDIT_ARCH_* = EM_* | __AUDIT_ARCH_64BIT (0x80000000) | __AUDIT_ARCH_LE (0x40000000).
    public static readonly SeccompArchitecture X86 = new("SCMP_ARCH_X86", 0x4000_0003, false, false);
    public static readonly SeccompArchitecture X86_64 = new("SCMP_ARCH_X86_64", 0xC000_003E, true, false);
    /// <summary>Same AUDIT_ARCH as x86_64: told apart by bit 30 of the syscall number.</summary>
    public static readonly SeccompArchitecture X32 = new("SCMP_ARCH_X32", 0xC000_003E, true, false);
    public static readonly SeccompArchitecture Arm = new("SCMP_ARCH_ARM", 0x4000_0028, false, false);
    public static readonly SeccompArchitecture Aarch64 = new("SCMP_ARCH_AARCH64", 0xC000_00B7, true, false);

    /// <summary>__X32_SYSCALL_BIT: set in every x32 syscall number.</summary>
    public const uint X32SyscallBit = 0x4000_0000;

    public static IReadOnlyList<SeccompArchitecture> All { get; } =
    [
        X86, X86_64, X32, Arm, Aarch64,
        new("SCMP_ARCH_MIPS", 0x0000_0008, false, true),
        new("SCMP_ARCH_MIPS64", 0x8000_0008, true, true),
        new("SCMP_ARCH_MIPS64N32", 0xA000_0008, false, true),
        new("SCMP_ARCH_MIPSEL", 0x4000_0008, false, false),
        new("SCMP_ARCH_MIPSEL64", 0xC000_0008, true, false),
        new("SCMP_ARCH_MIPSEL64N32", 0xE000_0008, false, false),
        new("SCMP_ARCH_PPC", 0x0000_0014, false, true),
        new("SCMP_ARCH_PPC64", 0x8000_0015, true, true),
        new("SCMP_ARCH_PPC64LE", 0xC000_0015, true, false),
        new("SCMP_ARCH_S390", 0x0000_0016, false, true),
        new("SCMP_ARCH_S390X", 0x8000_0016, true, true),
        new("SCMP_ARCH_PARISC", 0x0000_000F, false, true),
        new("SCMP_ARCH_PARISC64", 0x8000_000F, true, true),
        new("SCMP_ARCH_RISCV64", 0xC000_00F3, true, false),
        new("SCMP_ARCH_LOONGARCH64", 0xC000_0102, true, false),
        new("SCMP_ARCH_M68K", 0x0000_0004, false, true),
        new("SCMP_ARCH_SH", 0x0000_002A, false, true),
        new("SCMP_ARCH_SHEB", 0x0000_002A, false, true),
    ];

    public static SeccompArchitecture? FromName(string name)
    {
        foreach (var arch in All)
        {
            if (string.Equals(arch.Name, name, StringComparison.Ordinal))
            {
                return arch;
            }
        }

        return null;
    }

    /// <summary>The architecture this process runs as (what an empty architectures list means).</summary>
    public static SeccompArchitecture Native =>
        System.Runtime.InteropServices.RuntimeInformation.ProcessArchitecture switch
        {
            System.Runtime.InteropServices.Architecture.X64 => X86_64,
            System.Runtime.InteropServices.Architecture.Arm64 => Aarch64,
            System.Runtime.InteropServices.Architecture.X86 => X86,
            System.Runtime.InteropServices.Architecture.Arm => Arm,
            System.Runtime.InteropServices.Architecture.RiscV64 => FromName("SCMP_ARCH_RISCV64")!,
            System.Runtime.InteropServices.Architecture.LoongArch64 => FromName("SCMP_ARCH_LOONGARCH64")!,
            System.Runtime.InteropServices.Architecture.S390x => FromName("SCMP_ARCH_S390X")!,
            System.Runtime.InteropServices.Architecture.Ppc64le => FromName("SCMP_ARCH_PPC64LE")!,
            _ => X86_64,
        };
}
