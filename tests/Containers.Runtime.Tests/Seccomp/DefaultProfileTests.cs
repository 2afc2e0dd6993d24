using Containers.Runtime.Seccomp;
using Containers.Runtime.Spec;

namespace Containers.Runtime.Tests.Seccomp;

/// <summary>Docker-equivalent default profile compiled with the real syscall table, run in the interpreter.</summary>
public class DefaultProfileTests
{
    private const uint X86_64 = 0xC000003E, Aarch64 = 0xC00000B7;
    private const uint Eperm = SeccompActions.Errno | 1;

    private static readonly SeccompProgram Program = new SeccompCompiler(KernelSyscallResolver.Instance,
        new SeccompCompilerOptions { NativeArchitecture = SeccompArchitecture.X86_64 })
        .Compile(DefaultSpec.Create(architecture: SeccompArchitecture.X86_64).Linux!.Seccomp!);

    private static uint Run(int nr, params ulong[] args) => BpfInterpreter.Run(Program.Instructions, new SeccompData(nr, X86_64, args));

    [Fact]
    public void Fits_the_kernel_limit_and_every_jump_lands_inside()
    {
        BpfInterpreter.AssertWellFormed(Program.Instructions);
        Assert.True(Program.Instructions.Count < 1500, $"{Program.Instructions.Count} instructions");
    }

    [Theory]
    [InlineData(0, SeccompActions.Allow)] // read
    [InlineData(59, SeccompActions.Allow)] // execve
    [InlineData(158, SeccompActions.Allow)] // arch_prctl (amd64 only)
    [InlineData(161, SeccompActions.Allow)] // chroot: CAP_SYS_CHROOT is a default capability
    [InlineData(101, SeccompActions.Allow)] // ptrace: kernel >= 4.8
    [InlineData(165, Eperm)] // mount
    [InlineData(166, Eperm)] // umount2
    [InlineData(272, Eperm)] // unshare
    [InlineData(308, Eperm)] // setns
    [InlineData(169, Eperm)] // reboot
    [InlineData(175, Eperm)] // init_module
    [InlineData(435, SeccompActions.Errno | 38)] // clone3 → ENOSYS
    [InlineData(1000, Eperm)] // not a syscall
    public void Answers_as_dockers_profile(int nr, uint expected) => Assert.Equal(expected, Run(nr));

    [Theory]
    [InlineData(0x0UL, SeccompActions.Allow)]
    [InlineData(0x8UL, SeccompActions.Allow)]
    [InlineData(0x20008UL, SeccompActions.Allow)]
    [InlineData(0xffffffffUL, SeccompActions.Allow)]
    [InlineData(0x123UL, Eperm)]
    [InlineData(0x1_0000_0000UL, Eperm)]
    public void Personality_is_limited_to_harmless_values(ulong persona, uint expected) => Assert.Equal(expected, Run(135, persona));

    [Theory]
    [InlineData(0x3D0F00UL, SeccompActions.Allow)] // pthread_create's flags
    [InlineData(0x01200011UL, SeccompActions.Allow)] // fork(): CLONE_CHILD_SETTID|CLEARTID|SIGCHLD
    [InlineData(0x10000000UL, Eperm)] // CLONE_NEWUSER
    [InlineData(0x20000000UL | 0x11UL, Eperm)] // CLONE_NEWPID
    [InlineData(0x00020000UL, Eperm)] // CLONE_NEWNS
    public void Clone_may_not_create_namespaces(ulong flags, uint expected) => Assert.Equal(expected, Run(56, flags));

    [Theory]
    [InlineData(1UL, SeccompActions.Allow)] // AF_UNIX
    [InlineData(2UL, SeccompActions.Allow)] // AF_INET
    [InlineData(10UL, SeccompActions.Allow)] // AF_INET6
    [InlineData(16UL, SeccompActions.Allow)] // AF_NETLINK
    [InlineData(17UL, SeccompActions.Allow)] // AF_PACKET
    [InlineData(40UL, Eperm)] // AF_VSOCK
    [InlineData(38UL, Eperm)] // AF_ALG
    [InlineData(12UL, Eperm)] // AF_DECnet
    public void Socket_families_follow_the_allow_list(ulong family, uint expected) => Assert.Equal(expected, Run(41, family));

    [Fact]
    public void Compat_abis_without_a_table_are_killed_and_reported()
    {
        Assert.Equal(["SCMP_ARCH_X86", "SCMP_ARCH_X32"], Program.SkippedArchitectures);
        Assert.Equal(SeccompActions.KillProcess, BpfInterpreter.Run(Program.Instructions, new SeccompData(3, 0x40000003)));
        Assert.Equal(SeccompActions.KillProcess, BpfInterpreter.Run(Program.Instructions, new SeccompData(0x40000000, X86_64)));
        Assert.Contains(new UnresolvedSyscall("chown32", "SCMP_ARCH_X86_64"), Program.UnresolvedSyscalls);
    }

    [Fact]
    public void The_aarch64_profile_uses_aarch64_numbers()
    {
        var program = new SeccompCompiler(KernelSyscallResolver.Instance,
            new SeccompCompilerOptions { NativeArchitecture = SeccompArchitecture.Aarch64 })
            .Compile(DefaultSeccompProfile.Create(DefaultSpec.Capabilities, SeccompArchitecture.Aarch64));
        BpfInterpreter.AssertWellFormed(program.Instructions);
        Assert.Equal(SeccompActions.Allow, BpfInterpreter.Run(program.Instructions, new SeccompData(63, Aarch64))); // read
        Assert.Equal(Eperm, BpfInterpreter.Run(program.Instructions, new SeccompData(40, Aarch64))); // mount
        Assert.Equal(SeccompActions.Errno | 38, BpfInterpreter.Run(program.Instructions, new SeccompData(435, Aarch64)));
        Assert.Equal(SeccompActions.KillProcess, BpfInterpreter.Run(program.Instructions, new SeccompData(0, X86_64)));
    }

    [Fact]
    public void Capability_groups_follow_the_capability_set()
    {
        var withAdmin = DefaultSeccompProfile.Create([.. DefaultSpec.Capabilities, "CAP_SYS_ADMIN"], SeccompArchitecture.X86_64);
        var names = withAdmin.Syscalls!.SelectMany(s => s.Names!).ToHashSet();
        Assert.Contains("mount", names);
        Assert.DoesNotContain(withAdmin.Syscalls!, s => s.ErrnoRet == 38);

        var plain = DefaultSeccompProfile.Create(DefaultSpec.Capabilities, SeccompArchitecture.X86_64);
        Assert.DoesNotContain("mount", plain.Syscalls!.SelectMany(s => s.Names!));
        Assert.Contains("chroot", plain.Syscalls!.SelectMany(s => s.Names!));
        Assert.DoesNotContain("ptrace", DefaultSeccompProfile.Create([], SeccompArchitecture.X86_64, new Version(4, 4)).Syscalls!.SelectMany(s => s.Names!));
    }
}
