namespace Containers.Runtime.Seccomp;

/// <summary>SECCOMP_RET_* values (linux/seccomp.h) and the SCMP_ACT_* names the spec uses for them.</summary>
public static class SeccompActions
{
    public const uint KillProcess = 0x8000_0000;
    public const uint KillThread = 0x0000_0000;
    public const uint Trap = 0x0003_0000;
    public const uint Errno = 0x0005_0000;
    public const uint UserNotif = 0x7fc0_0000;
    public const uint Trace = 0x7ff0_0000;
    public const uint Log = 0x7ffc_0000;
    public const uint Allow = 0x7fff_0000;

    /// <summary>The low 16 bits carry the errno (ERRNO) or the tracer's message (TRACE).</summary>
    public const uint DataMask = 0x0000_ffff;

    /// <summary>EPERM: what an ERRNO action without errnoRet returns (runtime-spec, runc).</summary>
    public const uint DefaultErrno = 1;

    public static IReadOnlyDictionary<string, uint> ByName { get; } = new Dictionary<string, uint>(StringComparer.Ordinal)
    {
        // libseccomp's SCMP_ACT_KILL is the thread-killing one.
        ["SCMP_ACT_KILL"] = KillThread,
        ["SCMP_ACT_KILL_THREAD"] = KillThread,
        ["SCMP_ACT_KILL_PROCESS"] = KillProcess,
        ["SCMP_ACT_TRAP"] = Trap,
        ["SCMP_ACT_ERRNO"] = Errno,
        ["SCMP_ACT_TRACE"] = Trace,
        ["SCMP_ACT_ALLOW"] = Allow,
        ["SCMP_ACT_LOG"] = Log,
        ["SCMP_ACT_NOTIFY"] = UserNotif,
    };

    /// <summary>Whether the action carries errnoRet in its low bits.</summary>
    public static bool TakesErrnoRet(string name) => name is "SCMP_ACT_ERRNO" or "SCMP_ACT_TRACE";

    /// <summary>The 32-bit return value: the action, plus errnoRet (EPERM for ERRNO when absent).</summary>
    public static uint Encode(string name, uint? errnoRet)
    {
        if (!ByName.TryGetValue(name, out var action))
        {
            throw new ArgumentException($"unknown seccomp action \"{name}\"", nameof(name));
        }

        return name switch
        {
            "SCMP_ACT_ERRNO" => action | ((errnoRet ?? DefaultErrno) & DataMask),
            "SCMP_ACT_TRACE" => action | ((errnoRet ?? 0) & DataMask),
            _ => action,
        };
    }
}
