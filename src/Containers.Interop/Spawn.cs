namespace Containers.Interop;

/// <summary>POSIX_SPAWN_* attribute flags.</summary>
[Flags]
public enum SpawnFlags : short
{
    None = 0,
    /// <summary>POSIX_SPAWN_RESETIDS</summary>
    ResetIds = 0x01,
    /// <summary>POSIX_SPAWN_SETPGROUP</summary>
    SetProcessGroup = 0x02,
    /// <summary>POSIX_SPAWN_SETSIGDEF</summary>
    SetSignalDefault = 0x04,
    /// <summary>POSIX_SPAWN_SETSIGMASK</summary>
    SetSignalMask = 0x08,
    /// <summary>POSIX_SPAWN_SETSCHEDPARAM</summary>
    SetSchedParam = 0x10,
    /// <summary>POSIX_SPAWN_SETSCHEDULER</summary>
    SetScheduler = 0x20,
    /// <summary>POSIX_SPAWN_USEVFORK (ignored by glibc ≥ 2.24, which always spawns vfork-style)</summary>
    UseVfork = 0x40,
    /// <summary>POSIX_SPAWN_SETSID</summary>
    SetSid = 0x80,
}

/// <summary>
/// posix_spawn(3) and its file actions and attributes: glibc's vfork-style spawn, the only way this
/// project creates processes (no managed code runs in the child). These take glibc's opaque structs
/// by pointer; <see cref="SpawnRequest"/> is the safe way to use them. All return the errno.
/// </summary>
public static partial class Syscalls
{
    [Syscall("posix_spawn", Returns = SyscallReturn.ErrorNumber, RetryOnEintr = false)]
    public static unsafe partial void PosixSpawn(out int pid, byte* path, void* fileActions, void* attributes, byte** argv, byte** envp);

    [Syscall("posix_spawnp", Returns = SyscallReturn.ErrorNumber, RetryOnEintr = false)]
    public static unsafe partial void PosixSpawnp(out int pid, byte* file, void* fileActions, void* attributes, byte** argv, byte** envp);

    [Syscall("posix_spawn_file_actions_init", Returns = SyscallReturn.ErrorNumber)]
    public static unsafe partial void PosixSpawnFileActionsInit(void* fileActions);

    [Syscall("posix_spawn_file_actions_destroy", Returns = SyscallReturn.ErrorNumber)]
    public static unsafe partial void PosixSpawnFileActionsDestroy(void* fileActions);

    [Syscall("posix_spawn_file_actions_adddup2", Returns = SyscallReturn.ErrorNumber)]
    public static unsafe partial void PosixSpawnFileActionsAdddup2(void* fileActions, int fd, int newFd);

    [Syscall("posix_spawn_file_actions_addclose", Returns = SyscallReturn.ErrorNumber)]
    public static unsafe partial void PosixSpawnFileActionsAddclose(void* fileActions, int fd);

    [Syscall("posix_spawn_file_actions_addopen", Returns = SyscallReturn.ErrorNumber)]
    public static unsafe partial void PosixSpawnFileActionsAddopen(void* fileActions, int fd, string path, int openFlags, uint mode);

    /// <summary>glibc 2.29.</summary>
    [Syscall("posix_spawn_file_actions_addchdir_np", Returns = SyscallReturn.ErrorNumber)]
    public static unsafe partial void PosixSpawnFileActionsAddchdirNp(void* fileActions, string path);

    /// <summary>glibc 2.34: close every descriptor from <paramref name="lowFd"/> up.</summary>
    [Syscall("posix_spawn_file_actions_addclosefrom_np", Returns = SyscallReturn.ErrorNumber)]
    public static unsafe partial void PosixSpawnFileActionsAddclosefromNp(void* fileActions, int lowFd);

    [Syscall("posix_spawnattr_init", Returns = SyscallReturn.ErrorNumber)]
    public static unsafe partial void PosixSpawnattrInit(void* attributes);

    [Syscall("posix_spawnattr_destroy", Returns = SyscallReturn.ErrorNumber)]
    public static unsafe partial void PosixSpawnattrDestroy(void* attributes);

    [Syscall("posix_spawnattr_setflags", Returns = SyscallReturn.ErrorNumber)]
    public static unsafe partial void PosixSpawnattrSetflags(void* attributes, SpawnFlags flags);

    [Syscall("posix_spawnattr_setsigmask", Returns = SyscallReturn.ErrorNumber)]
    public static unsafe partial void PosixSpawnattrSetsigmask(void* attributes, in SigSet mask);

    [Syscall("posix_spawnattr_setsigdefault", Returns = SyscallReturn.ErrorNumber)]
    public static unsafe partial void PosixSpawnattrSetsigdefault(void* attributes, in SigSet signals);

    [Syscall("posix_spawnattr_setpgroup", Returns = SyscallReturn.ErrorNumber)]
    public static unsafe partial void PosixSpawnattrSetpgroup(void* attributes, int processGroup);
}
