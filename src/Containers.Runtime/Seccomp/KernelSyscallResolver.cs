using Containers.Interop;

namespace Containers.Runtime.Seccomp;

/// <summary>
/// Resolves through Containers.Interop's syscall table: x86_64 and aarch64 with their compat ABIs x86, x32
/// and arm, so Docker's profile (which lists them) gets its rules on every ABI the kernel runs. Other
/// architectures have no table here: a profile that lists them admits only the ones above, and the compiler
/// reports the rest in <see cref="SeccompProgram.SkippedArchitectures"/> (their calls get the bad-architecture
/// action).
/// </summary>
public sealed class KernelSyscallResolver : ISyscallResolver
{
    public static KernelSyscallResolver Instance { get; } = new();

    public bool Supports(SeccompArchitecture architecture) => ToTable(architecture) is not null;

    /// <summary>The number as seccomp_data.nr carries it (x32 numbers include __X32_SYSCALL_BIT).</summary>
    public int? Resolve(string name, SeccompArchitecture architecture) =>
        ToTable(architecture) is { } arch && SyscallTable.TryGetNumber(name, arch, out var number) ? number : null;

    private static SyscallArchitecture? ToTable(SeccompArchitecture architecture) => architecture.Name switch
    {
        "SCMP_ARCH_X86_64" => SyscallArchitecture.X86_64,
        "SCMP_ARCH_AARCH64" => SyscallArchitecture.Aarch64,
        "SCMP_ARCH_X86" => SyscallArchitecture.X86,
        "SCMP_ARCH_ARM" => SyscallArchitecture.Arm,
        "SCMP_ARCH_X32" => SyscallArchitecture.X32,
        _ => null,
    };
}
