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
        Assert.True(Program.Instructions.Count <= Bpf.MaxInstructions, $"{Program.Instructions.Count} instructions");
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

    private const uint I386 = 0x40000003, Arm = 0x40000028;
    private const int X32Bit = 0x40000000;

    [Fact]
    public void Every_listed_architecture_has_its_rules()
    {
        Assert.Empty(Program.SkippedArchitectures);
        Assert.Equal(["SCMP_ARCH_X86_64", "SCMP_ARCH_X86", "SCMP_ARCH_X32"], Program.Architectures.Select(a => a.Name));
        Assert.DoesNotContain(new UnresolvedSyscall("chown32", "SCMP_ARCH_X86"), Program.UnresolvedSyscalls);
        Assert.Contains(new UnresolvedSyscall("chown32", "SCMP_ARCH_X86_64"), Program.UnresolvedSyscalls);
    }

    [Theory]
    [InlineData(3, SeccompActions.Allow)] // read
    [InlineData(11, SeccompActions.Allow)] // execve
    [InlineData(212, SeccompActions.Allow)] // chown32: a 32-bit-only name
    [InlineData(192, SeccompActions.Allow)] // mmap2
    [InlineData(102, SeccompActions.Allow)] // socketcall
    [InlineData(21, Eperm)] // mount
    [InlineData(52, Eperm)] // umount2
    [InlineData(310, Eperm)] // unshare
    [InlineData(346, Eperm)] // setns
    [InlineData(435, SeccompActions.Errno | 38)] // clone3 → ENOSYS
    [InlineData(0, SeccompActions.Allow)] // restart_syscall
    [InlineData(165, SeccompActions.Allow)] // getresuid: x86_64's mount number means another call here
    public void The_i386_abi_answers_with_i386_numbers(int nr, uint expected) =>
        Assert.Equal(expected, BpfInterpreter.Run(Program.Instructions, new SeccompData(nr, I386)));

    [Fact]
    public void I386_arguments_are_compared_on_their_low_half()
    {
        // personality (136 on i386) with PER_LINUX32 passes; an unknown persona does not.
        Assert.Equal(SeccompActions.Allow, BpfInterpreter.Run(Program.Instructions, new SeccompData(136, I386, 0x8)));
        Assert.Equal(Eperm, BpfInterpreter.Run(Program.Instructions, new SeccompData(136, I386, 0x123)));
        // socket (359 on i386): AF_INET passes, AF_VSOCK does not.
        Assert.Equal(SeccompActions.Allow, BpfInterpreter.Run(Program.Instructions, new SeccompData(359, I386, 2)));
        Assert.Equal(Eperm, BpfInterpreter.Run(Program.Instructions, new SeccompData(359, I386, 40)));
    }

    [Theory]
    [InlineData(X32Bit | 0, SeccompActions.Allow)] // read
    [InlineData(X32Bit | 512, SeccompActions.Allow)] // rt_sigaction: x32's own number
    [InlineData(X32Bit | 520, SeccompActions.Allow)] // execve: x32's own number
    [InlineData(X32Bit | 165, Eperm)] // mount
    [InlineData(X32Bit | 13, Eperm)] // x86_64's rt_sigaction number is not a call on x32
    [InlineData(X32Bit | 435, SeccompActions.Errno | 38)] // clone3 → ENOSYS
    public void The_x32_abi_answers_with_x32_numbers(int nr, uint expected) =>
        Assert.Equal(expected, BpfInterpreter.Run(Program.Instructions, new SeccompData(nr, X86_64)));

    [Fact]
    public void An_unlisted_architecture_is_still_killed() =>
        Assert.Equal(SeccompActions.KillProcess, BpfInterpreter.Run(Program.Instructions, new SeccompData(0, Aarch64)));

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
        Assert.Empty(program.SkippedArchitectures);
        BpfInterpreter.AssertWellFormed(program.Instructions);
        Assert.True(program.Instructions.Count <= Bpf.MaxInstructions, $"{program.Instructions.Count} instructions");
        Assert.Equal(SeccompActions.Allow, BpfInterpreter.Run(program.Instructions, new SeccompData(3, Arm))); // read
        Assert.Equal(SeccompActions.Allow, BpfInterpreter.Run(program.Instructions, new SeccompData(0xf0005, Arm))); // ARM set_tls
        Assert.Equal(Eperm, BpfInterpreter.Run(program.Instructions, new SeccompData(21, Arm))); // mount
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
