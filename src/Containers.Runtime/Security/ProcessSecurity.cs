using Containers.Interop;
using Containers.Runtime.Seccomp;
using Containers.Runtime.Spec;
using InteropSockFilter = Containers.Interop.SockFilter;

namespace Containers.Runtime.Security;

/// <summary>
/// The last steps before execve, on the thread that will exec: bounding set, user and groups,
/// capabilities, no_new_privs and seccomp, in runc's order. Credentials change per thread
/// (raw setresuid), which is exactly what execve carries into the container's process.
/// </summary>
public static class ProcessSecurity
{
    /// <param name="listener">The agent's connection when a rule notifies (see <see cref="SeccompListener"/>).</param>
    /// <param name="stateJson">The container's OCI state, sent to the listener with the notification descriptor.</param>
    public static void Apply(ProcessSpec process, SeccompSpec? seccomp, SeccompListener? listener = null, string? stateJson = null) =>
        Apply(process, seccomp is null ? null : Compile(seccomp), listener, stateJson);

    /// <summary>
    /// A filter compiled ahead of time — pure computation, so init can do it while it waits for its
    /// cgroups — with its failure kept for <see cref="Apply(ProcessSpec, PreparedSeccomp, SeccompListener?, string?)"/>
    /// to report where it always was (at start, step "seccomp").
    /// </summary>
    public sealed class PreparedSeccomp
    {
        internal SeccompProgram? Program { get; init; }
        internal Exception? Failure { get; init; }
    }

    public static PreparedSeccomp Prepare(SeccompSpec? seccomp)
    {
        try
        {
            return new PreparedSeccomp { Program = seccomp is null ? null : Compile(seccomp) };
        }
        catch (Exception e)
        {
            return new PreparedSeccomp { Failure = e };
        }
    }

    public static void Apply(ProcessSpec process, PreparedSeccomp seccomp, SeccompListener? listener = null, string? stateJson = null)
    {
        if (seccomp.Failure is not null)
        {
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(seccomp.Failure);
        }
        Apply(process, seccomp.Program, listener, stateJson);
    }

    private static void Apply(ProcessSpec process, SeccompProgram? program, SeccompListener? listener, string? stateJson)
    {
        bool noNewPrivileges = process.NoNewPrivileges == true;

        Step("capabilities bounding set", () => DropBounding(process.Capabilities?.Bounding));

        // Without no_new_privs, loading a filter needs CAP_SYS_ADMIN: do it while we still have it.
        if (program is not null && !noNewPrivileges)
        {
            Step("seccomp", () => Load(program, listener, stateJson));
        }

        Step("user", () => SetUser(process.User));
        Step("capabilities", () => SetCapabilities(process.Capabilities));
        if (noNewPrivileges)
        {
            Step("no_new_privs", Syscalls.SetNoNewPrivileges);
        }
        if (program is not null && noNewPrivileges)
        {
            Step("seccomp", () => Load(program, listener, stateJson)); // as late as possible: fewer calls run under it
        }
    }

    public static ulong CapabilityMask(IReadOnlyList<string>? names)
    {
        ulong mask = 0;
        foreach (string name in names ?? [])
        {
            int number = KnownNames.CapabilityNumber(name);
            if (number < 0)
            {
                throw new ArgumentException($"unknown capability \"{name}\"");
            }
            mask |= 1UL << number;
        }
        return mask;
    }

    private static void DropBounding(IReadOnlyList<string>? bounding)
    {
        ulong keep = CapabilityMask(bounding);
        int last = KnownNames.ReadKernelCapLastCap();
        for (int cap = 0; cap <= last; cap++)
        {
            if ((keep & (1UL << cap)) == 0 && Syscalls.IsInBoundingSet(cap))
            {
                Syscalls.DropBoundingCapability(cap);
            }
        }
    }

    private static void SetUser(UserSpec? user)
    {
        uint uid = user?.Uid ?? 0, gid = user?.Gid ?? 0;
        // Keep permitted capabilities across the uid change; capset below sets what remains.
        Syscalls.Prctl(PrctlOption.SetKeepCaps, 1, 0, 0, 0);
        uint[] groups = user?.AdditionalGids?.ToArray() ?? [];
        Syscalls.Setgroups(groups);
        Syscalls.Setresgid(gid, gid, gid);
        Syscalls.Setresuid(uid, uid, uid);
        if (user?.Umask is uint umask)
        {
            Syscalls.Umask(umask);
        }
    }

    private static void SetCapabilities(CapabilitiesSpec? caps)
    {
        Syscalls.SetCapabilities(new CapabilitySets(
            CapabilityMask(caps?.Effective), CapabilityMask(caps?.Permitted), CapabilityMask(caps?.Inheritable)));
        Syscalls.Prctl(PrctlOption.SetKeepCaps, 0, 0, 0, 0);
        foreach (string name in caps?.Ambient ?? [])
        {
            Syscalls.Prctl(PrctlOption.CapAmbient, 2 /* PR_CAP_AMBIENT_RAISE */, (nuint)KnownNames.CapabilityNumber(name), 0, 0);
        }
    }

    private static SeccompProgram Compile(SeccompSpec seccomp)
    {
        try
        {
            return new SeccompCompiler(KernelSyscallResolver.Instance).Compile(seccomp);
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException or FormatException)
        {
            throw new InitStepException("seccomp", e);
        }
    }

    private static void Load(SeccompProgram program, SeccompListener? listener, string? stateJson)
    {
        var filter = new InteropSockFilter[program.Instructions.Count];
        for (int i = 0; i < filter.Length; i++)
        {
            Seccomp.SockFilter f = program.Instructions[i];
            filter[i] = new InteropSockFilter(f.Code, f.Jt, f.Jf, f.K);
        }
        if (program.NeedsListener && listener is null)
        {
            // Checked before loading: a notified call with nobody listening would block the process forever.
            throw new InitStepException("seccomp", "SCMP_ACT_NOTIFY needs linux.seccomp.listenerPath");
        }

        int result = Syscalls.SetSeccompFilter(filter, (SeccompFlags)(uint)program.Flags);
        if (program.NeedsListener)
        {
            // Hand the descriptor over at once: from here on our own notified calls wait for the agent. Then
            // close both ends, so the container's process holds neither its supervisor's fd nor the socket.
            using var notifyFd = new SafeFd(result);
            using (listener)
            {
                listener!.Send(notifyFd, stateJson ?? "{}");
            }
        }
    }

    private static void Step(string step, Action action)
    {
        try
        {
            action();
        }
        catch (Exception e) when (e is IOException or ArgumentException or UnauthorizedAccessException)
        {
            throw new InitStepException(step, e);
        }
    }
}
