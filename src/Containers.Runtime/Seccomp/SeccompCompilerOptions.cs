namespace Containers.Runtime.Seccomp;

public sealed record SeccompCompilerOptions
{
    /// <summary>Always admitted, listed or not (libseccomp's filter always holds the native architecture).</summary>
    public SeccompArchitecture NativeArchitecture { get; init; } = SeccompArchitecture.Native;

    /// <summary>
    /// What a call from an architecture the filter does not admit gets (libseccomp's
    /// SCMP_FLTATR_ACT_BADARCH). libseccomp defaults to SCMP_ACT_KILL, which kills only the calling
    /// thread; we kill the whole process so a foreign-ABI call never leaves a half-dead process behind.
    /// </summary>
    public uint BadArchitectureAction { get; init; } = SeccompActions.KillProcess;
}
