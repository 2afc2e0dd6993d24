namespace Containers.Interop;

/// <summary>Capabilities, seccomp and credentials.</summary>
public static partial class Syscalls
{
    /// <summary>capget(2): <paramref name="data"/> holds two elements for version 3.</summary>
    [Syscall("capget")]
    public static partial void Capget(ref CapUserHeader header, Span<CapUserData> data);

    /// <summary>capset(2): the calling thread only.</summary>
    [Syscall("capset")]
    public static partial void Capset(ref CapUserHeader header, ReadOnlySpan<CapUserData> data);

    /// <summary>capget for <paramref name="pid"/> (0: the calling thread), as 64-bit sets.</summary>
    public static CapabilitySets GetCapabilities(int pid = 0)
    {
        var header = new CapUserHeader { Version = CapUserHeader.Version3, Pid = pid };
        Span<CapUserData> data = stackalloc CapUserData[2];
        Capget(ref header, data);
        return new CapabilitySets(
            data[0].Effective | ((ulong)data[1].Effective << 32),
            data[0].Permitted | ((ulong)data[1].Permitted << 32),
            data[0].Inheritable | ((ulong)data[1].Inheritable << 32));
    }

    /// <summary>capset for the calling thread.</summary>
    public static void SetCapabilities(CapabilitySets sets)
    {
        var header = new CapUserHeader { Version = CapUserHeader.Version3, Pid = 0 };
        Span<CapUserData> data = stackalloc CapUserData[2];
        data[0] = new CapUserData { Effective = (uint)sets.Effective, Permitted = (uint)sets.Permitted, Inheritable = (uint)sets.Inheritable };
        data[1] = new CapUserData { Effective = (uint)(sets.Effective >> 32), Permitted = (uint)(sets.Permitted >> 32), Inheritable = (uint)(sets.Inheritable >> 32) };
        Capset(ref header, data);
    }

    /// <summary>seccomp(2), raw (glibc has no wrapper): returns 0, or a listener fd with NEW_LISTENER.</summary>
    [Syscall("seccomp", Binding = SyscallBinding.Raw)]
    public static unsafe partial int Seccomp(SeccompOperation operation, SeccompFlags flags, void* args);

    /// <summary>seccomp(SECCOMP_SET_MODE_FILTER) with a compiled filter. Needs no_new_privs or CAP_SYS_ADMIN.</summary>
    public static unsafe int SetSeccompFilter(ReadOnlySpan<SockFilter> filter, SeccompFlags flags)
    {
        fixed (SockFilter* instructions = filter)
        {
            var program = new SockFprog { Length = checked((ushort)filter.Length), Filter = instructions };
            return Seccomp(SeccompOperation.SetModeFilter, flags, &program);
        }
    }

    /// <summary>setresuid(2), raw: the calling thread only (glibc's wrapper changes every thread). uint.MaxValue leaves an id.</summary>
    [Syscall("setresuid", Binding = SyscallBinding.Raw)]
    public static partial void Setresuid(uint realUid, uint effectiveUid, uint savedUid);

    /// <summary>setresgid(2), raw: the calling thread only.</summary>
    [Syscall("setresgid", Binding = SyscallBinding.Raw)]
    public static partial void Setresgid(uint realGid, uint effectiveGid, uint savedGid);

    /// <summary>setgroups(2), raw: the calling thread only; C shape.</summary>
    [Syscall("setgroups", Binding = SyscallBinding.Raw)]
    public static partial void Setgroups(nuint size, ReadOnlySpan<uint> groups);

    /// <summary>setgroups(2) for the calling thread.</summary>
    public static void Setgroups(ReadOnlySpan<uint> groups) => Setgroups((nuint)groups.Length, groups);
}
