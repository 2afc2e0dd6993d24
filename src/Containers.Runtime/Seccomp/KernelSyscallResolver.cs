using Containers.Interop;

namespace Containers.Runtime.Seccomp;

/// <summary>
/// Resolves through Containers.Interop's syscall table: x86_64 and aarch64. The compat ABIs (x86, x32,
/// arm) have no table here yet, so a profile that lists them admits only the native ABI and the compiler
/// reports them in <see cref="SeccompProgram.SkippedArchitectures"/>; their calls get the bad-architecture
/// action (kill) instead of the profile's rules.
/// </summary>
public sealed class KernelSyscallResolver : ISyscallResolver
{
    public static KernelSyscallResolver Instance { get; } = new();

    public bool Supports(SeccompArchitecture architecture) => ToTable(architecture) is not null;

    public int? Resolve(string name, SeccompArchitecture architecture) =>
        ToTable(architecture) is { } arch && SyscallTable.TryGetNumber(name, arch, out var number) ? number : null;

    private static SyscallArchitecture? ToTable(SeccompArchitecture architecture) => architecture.Name switch
    {
        "SCMP_ARCH_X86_64" => SyscallArchitecture.X86_64,
        "SCMP_ARCH_AARCH64" => SyscallArchitecture.Aarch64,
        _ => null,
    };
}
