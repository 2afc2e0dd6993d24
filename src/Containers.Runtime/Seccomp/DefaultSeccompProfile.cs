using Containers.Runtime.Spec;

namespace Containers.Runtime.Seccomp;

/// <summary>
/// Our default seccomp profile, equivalent in effect to Docker's (moby profiles/seccomp default.json):
/// EPERM for everything not listed, a large allow-list, socket families and personality values
/// restricted, namespace-creating clone flags refused, and clone3 answered with ENOSYS so that glibc
/// falls back to clone, whose flags a filter can inspect. Groups that depend on capabilities, the host
/// architecture or the kernel version are resolved by <see cref="Create"/>, as Docker does when it
/// builds a container's spec.
/// </summary>
public static class DefaultSeccompProfile
{
    private const string Allow = "SCMP_ACT_ALLOW";
    private const string Errno = "SCMP_ACT_ERRNO";

    /// <summary>ENOSYS: "not implemented", the answer that makes glibc fall back from clone3 to clone.</summary>
    public const uint Enosys = 38;

    /// <summary>CLONE_NEWNS|NEWCGROUP|NEWUTS|NEWIPC|NEWUSER|NEWPID|NEWNET: clone may set none of these.</summary>
    public const ulong NamespaceCloneFlags = 0x7E02_0000;

    /// <summary>
    /// The profile for a container whose bounding set is <paramref name="capabilities"/> (CAP_* names), on
    /// <paramref name="hostArchitecture"/> (default: this machine) and <paramref name="kernel"/> (default: this kernel).
    /// </summary>
    public static SeccompSpec Create(IEnumerable<string> capabilities, SeccompArchitecture? hostArchitecture = null, Version? kernel = null)
    {
        var caps = capabilities.ToHashSet(StringComparer.Ordinal);
        var arch = hostArchitecture ?? SeccompArchitecture.Native;
        var goArch = GoArch(arch);
        kernel ??= Environment.OSVersion.Version;
        var syscalls = new List<SeccompSyscallSpec>();
        foreach (var rule in Rules)
        {
            var applies = (rule.IfCaps?.All(caps.Contains) ?? true)
                && !(rule.UnlessCaps?.Any(caps.Contains) ?? false)
                && (rule.IfArches?.Contains(goArch) ?? true)
                && !(rule.UnlessArches?.Contains(goArch) ?? false)
                && (rule.MinKernel is null || kernel >= rule.MinKernel);
            if (applies)
            {
                syscalls.Add(new SeccompSyscallSpec { Names = rule.Names, Action = rule.Action, ErrnoRet = rule.ErrnoRet, Args = rule.Args });
            }
        }

        return new SeccompSpec
        {
            DefaultAction = Errno,
            DefaultErrnoRet = 1,
            Architectures = Architectures(arch),
            Syscalls = syscalls,
        };
    }

    private sealed record Rule(string[] Names, string Action = Allow)
    {
        public uint? ErrnoRet { get; init; }
        public SeccompArgSpec[]? Args { get; init; }
        /// <summary>All must be in the bounding set for the rule to apply.</summary>
        public string[]? IfCaps { get; init; }
        /// <summary>Any in the bounding set removes the rule.</summary>
        public string[]? UnlessCaps { get; init; }
        /// <summary>Host architectures (Go names: amd64, arm64, …) the rule applies to.</summary>
        public string[]? IfArches { get; init; }
        public string[]? UnlessArches { get; init; }
        public Version? MinKernel { get; init; }
    }

    /// <summary>The native ABI and the compat ABIs its kernel also runs.</summary>
    private static string[] Architectures(SeccompArchitecture arch) => arch.Name switch
    {
        "SCMP_ARCH_X86_64" => ["SCMP_ARCH_X86_64", "SCMP_ARCH_X86", "SCMP_ARCH_X32"],
        "SCMP_ARCH_AARCH64" => ["SCMP_ARCH_AARCH64", "SCMP_ARCH_ARM"],
        "SCMP_ARCH_MIPS64" => ["SCMP_ARCH_MIPS64", "SCMP_ARCH_MIPS", "SCMP_ARCH_MIPS64N32"],
        "SCMP_ARCH_MIPS64N32" => ["SCMP_ARCH_MIPS64N32", "SCMP_ARCH_MIPS", "SCMP_ARCH_MIPS64"],
        "SCMP_ARCH_MIPSEL64" => ["SCMP_ARCH_MIPSEL64", "SCMP_ARCH_MIPSEL", "SCMP_ARCH_MIPSEL64N32"],
        "SCMP_ARCH_MIPSEL64N32" => ["SCMP_ARCH_MIPSEL64N32", "SCMP_ARCH_MIPSEL", "SCMP_ARCH_MIPSEL64"],
        "SCMP_ARCH_S390X" => ["SCMP_ARCH_S390X", "SCMP_ARCH_S390"],
        _ => [arch.Name],
    };

    private static string GoArch(SeccompArchitecture arch) => arch.Name switch
    {
        "SCMP_ARCH_X86_64" => "amd64",
        "SCMP_ARCH_X86" => "386",
        "SCMP_ARCH_AARCH64" => "arm64",
        "SCMP_ARCH_ARM" => "arm",
        "SCMP_ARCH_PPC64LE" => "ppc64le",
        "SCMP_ARCH_S390X" => "s390x",
        "SCMP_ARCH_S390" => "s390",
        "SCMP_ARCH_RISCV64" => "riscv64",
        "SCMP_ARCH_LOONGARCH64" => "loong64",
        _ => arch.Name,
    };

    private static string[] Words(string text) =>
        text.Split((char[])[' ', '\n', '\r'], StringSplitOptions.RemoveEmptyEntries);

    private static SeccompArgSpec Arg(uint index, ulong value, string op, ulong? valueTwo = null) =>
        new() { Index = index, Value = value, ValueTwo = valueTwo, Op = op };

    /// <summary>Address families socket() may create besides all below AF_DECnet (12).</summary>
    private static readonly uint[] SocketFamilies =
        [13, 14, 15, 16, 17, 18, 21, 22, 24, 26, 27, 28, 29, 30, 31, 32, 33, 35, 36, 39, 41, 42, 43, 44, 45];

    /// <summary>personality() values allowed: PER_LINUX, PER_LINUX32, UNAME26, UNAME26|PER_LINUX32, 0xffffffff (query).</summary>
    private static readonly ulong[] Personalities = [0x0, 0x8, 0x20000, 0x20008, 0xffffffff];

    private static readonly string[] SysAdmin = ["CAP_SYS_ADMIN"];
    private static readonly string[] S390 = ["s390", "s390x"];

    private static readonly Rule[] Rules =
    [
        new(Words("""
            accept accept4 access adjtimex alarm bind brk cachestat capget capset chdir chmod chown chown32
            clock_adjtime clock_adjtime64 clock_getres clock_getres_time64 clock_gettime clock_gettime64
            clock_nanosleep clock_nanosleep_time64 close close_range connect copy_file_range creat dup dup2
            dup3 epoll_create epoll_create1 epoll_ctl epoll_ctl_old epoll_pwait epoll_pwait2 epoll_wait
            epoll_wait_old eventfd eventfd2 execve execveat exit exit_group faccessat faccessat2 fadvise64
            fadvise64_64 fallocate fanotify_mark fchdir fchmod fchmodat fchmodat2 fchown fchown32 fchownat
            fcntl fcntl64 fdatasync fgetxattr flistxattr flock fork fremovexattr fsetxattr fstat fstat64
            fstatat64 fstatfs fstatfs64 fsync ftruncate ftruncate64 futex futex_requeue futex_time64
            futex_wait futex_waitv futex_wake futimesat getcpu getcwd getdents getdents64 getegid getegid32
            geteuid geteuid32 getgid getgid32 getgroups getgroups32 getitimer getpeername getpgid getpgrp
            getpid getppid getpriority getrandom getresgid getresgid32 getresuid getresuid32 getrlimit
            get_robust_list getrusage getsid getsockname getsockopt get_thread_area gettid gettimeofday
            getuid getuid32 getxattr getxattrat inotify_add_watch inotify_init inotify_init1
            inotify_rm_watch io_cancel ioctl io_destroy io_getevents io_pgetevents io_pgetevents_time64
            ioprio_get ioprio_set io_setup io_submit ipc kill landlock_add_rule landlock_create_ruleset
            landlock_restrict_self lchown lchown32 lgetxattr link linkat listen listmount listxattr
            listxattrat llistxattr _llseek lremovexattr lseek lsetxattr lstat lstat64 madvise
            map_shadow_stack membarrier memfd_create memfd_secret mincore mkdir mkdirat mknod mknodat mlock
            mlock2 mlockall mmap mmap2 mprotect mq_getsetattr mq_notify mq_open mq_timedreceive
            mq_timedreceive_time64 mq_timedsend mq_timedsend_time64 mq_unlink mremap mseal msgctl msgget
            msgrcv msgsnd msync munlock munlockall munmap name_to_handle_at nanosleep newfstatat _newselect
            open openat openat2 pause pidfd_open pidfd_send_signal pipe pipe2 pkey_alloc pkey_free
            pkey_mprotect poll ppoll ppoll_time64 prctl pread64 preadv preadv2 prlimit64 process_mrelease
            pselect6 pselect6_time64 pwrite64 pwritev pwritev2 read readahead readlink readlinkat readv
            recv recvfrom recvmmsg recvmmsg_time64 recvmsg remap_file_pages removexattr removexattrat
            rename renameat renameat2 restart_syscall riscv_hwprobe rmdir rseq rt_sigaction rt_sigpending
            rt_sigprocmask rt_sigqueueinfo rt_sigreturn rt_sigsuspend rt_sigtimedwait
            rt_sigtimedwait_time64 rt_tgsigqueueinfo sched_getaffinity sched_getattr sched_getparam
            sched_get_priority_max sched_get_priority_min sched_getscheduler sched_rr_get_interval
            sched_rr_get_interval_time64 sched_setaffinity sched_setattr sched_setparam sched_setscheduler
            sched_yield seccomp select semctl semget semop semtimedop semtimedop_time64 send sendfile
            sendfile64 sendmmsg sendmsg sendto setfsgid setfsgid32 setfsuid setfsuid32 setgid setgid32
            setgroups setgroups32 setitimer setpgid setpriority setregid setregid32 setresgid setresgid32
            setresuid setresuid32 setreuid setreuid32 setrlimit set_robust_list setsid setsockopt
            set_thread_area set_tid_address setuid setuid32 setxattr setxattrat shmat shmctl shmdt shmget
            shutdown sigaltstack signalfd signalfd4 sigprocmask sigreturn socketcall socketpair splice stat
            stat64 statfs statfs64 statmount statx symlink symlinkat sync sync_file_range syncfs sysinfo
            tee tgkill time timer_create timer_delete timer_getoverrun timer_gettime timer_gettime64
            timer_settime timer_settime64 timerfd_create timerfd_gettime timerfd_gettime64 timerfd_settime
            timerfd_settime64 times tkill truncate truncate64 ugetrlimit umask uname unlink unlinkat
            uretprobe utime utimensat utimensat_time64 utimes vfork vmsplice wait4 waitid waitpid write
            writev
            """)),
        new(["process_vm_readv", "process_vm_writev", "ptrace"]) { MinKernel = new Version(4, 8) },
        new(["socket"]) { Args = [Arg(0, 12, "SCMP_CMP_LT")] },
        .. SocketFamilies.Select(family => new Rule(["socket"]) { Args = [Arg(0, family, "SCMP_CMP_EQ")] }),
        .. Personalities.Select(value => new Rule(["personality"]) { Args = [Arg(0, value, "SCMP_CMP_EQ")] }),
        new(["sync_file_range2", "swapcontext"]) { IfArches = ["ppc64le"] },
        new(["arm_fadvise64_64", "arm_sync_file_range", "sync_file_range2", "breakpoint", "cacheflush", "set_tls"])
        {
            IfArches = ["arm", "arm64"],
        },
        new(["arch_prctl"]) { IfArches = ["amd64", "x32"] },
        new(["modify_ldt"]) { IfArches = ["amd64", "x32", "x86"] },
        new(["s390_pci_mmio_read", "s390_pci_mmio_write", "s390_runtime_instr"]) { IfArches = S390 },
        new(["riscv_flush_icache"]) { IfArches = ["riscv64"] },
        new(["open_by_handle_at"]) { IfCaps = ["CAP_DAC_READ_SEARCH"] },
        new(Words("""
            bpf clone clone3 fanotify_init fsconfig fsmount fsopen fspick lookup_dcookie lsm_get_self_attr
            lsm_list_modules lsm_set_self_attr mount mount_setattr move_mount open_tree perf_event_open quotactl
            quotactl_fd setdomainname sethostname setns syslog umount umount2 unshare
            """)) { IfCaps = SysAdmin },
        // Without CAP_SYS_ADMIN, clone may make threads and processes but no namespaces.
        new(["clone"]) { Args = [Arg(0, NamespaceCloneFlags, "SCMP_CMP_MASKED_EQ", 0)], UnlessCaps = SysAdmin, UnlessArches = S390 },
        new(["clone"]) { Args = [Arg(1, NamespaceCloneFlags, "SCMP_CMP_MASKED_EQ", 0)], IfArches = S390, UnlessCaps = SysAdmin },
        // clone3 passes its flags in memory, out of a filter's reach: refuse it so libc falls back to clone.
        new(["clone3"], Errno) { ErrnoRet = Enosys, UnlessCaps = SysAdmin },
        new(["reboot"]) { IfCaps = ["CAP_SYS_BOOT"] },
        new(["chroot"]) { IfCaps = ["CAP_SYS_CHROOT"] },
        new(["delete_module", "init_module", "finit_module"]) { IfCaps = ["CAP_SYS_MODULE"] },
        new(["acct"]) { IfCaps = ["CAP_SYS_PACCT"] },
        new(["kcmp", "pidfd_getfd", "process_madvise", "process_vm_readv", "process_vm_writev", "ptrace"])
        {
            IfCaps = ["CAP_SYS_PTRACE"],
        },
        new(["iopl", "ioperm"]) { IfCaps = ["CAP_SYS_RAWIO"] },
        new(["settimeofday", "stime", "clock_settime", "clock_settime64"]) { IfCaps = ["CAP_SYS_TIME"] },
        new(["vhangup"]) { IfCaps = ["CAP_SYS_TTY_CONFIG"] },
        new(["get_mempolicy", "mbind", "set_mempolicy", "set_mempolicy_home_node"]) { IfCaps = ["CAP_SYS_NICE"] },
        new(["syslog"]) { IfCaps = ["CAP_SYSLOG"] },
        new(["bpf"]) { IfCaps = ["CAP_BPF"] },
        new(["perf_event_open"]) { IfCaps = ["CAP_PERFMON"] },
    ];
}
