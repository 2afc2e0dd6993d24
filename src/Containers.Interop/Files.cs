namespace Containers.Interop;

/// <summary>Files and descriptors beyond what Tmds.LibC offers (open, read, write, close, stat stay there).</summary>
public static partial class Syscalls
{
    /// <summary>openat2(2); <paramref name="size"/> is sizeof(struct open_how).</summary>
    [Syscall("openat2", Binding = SyscallBinding.Raw)]
    public static partial SafeFd Openat2(SafeFd dirFd, string path, in OpenHow how, nuint size);

    /// <summary>openat2(2) with the version-0 struct size.</summary>
    public static SafeFd Openat2(SafeFd dirFd, string path, in OpenHow how) => Openat2(dirFd, path, in how, OpenHow.SizeVer0);

    /// <summary>memfd_create(2).</summary>
    [Syscall("memfd_create")]
    public static partial SafeFd MemfdCreate(string name, MemfdFlags flags);

    /// <summary>fcntl(2) with an integer argument (variadic in C; the ABI passes it like a fixed one).</summary>
    [Syscall("fcntl")]
    public static partial int Fcntl(SafeFd fd, FcntlCommand command, nint argument);

    /// <summary>fcntl(F_ADD_SEALS).</summary>
    public static void AddSeals(SafeFd fd, SealFlags seals) => Fcntl(fd, FcntlCommand.AddSeals, (nint)seals);

    /// <summary>fcntl(F_GET_SEALS).</summary>
    public static SealFlags GetSeals(SafeFd fd) => (SealFlags)Fcntl(fd, FcntlCommand.GetSeals, 0);

    /// <summary>close_range(2) (glibc 2.34).</summary>
    [Syscall("close_range")]
    public static partial void CloseRange(uint first, uint last, CloseRangeFlags flags);

    /// <summary>mknodat(2); <paramref name="mode"/> includes the file type (S_IFCHR, S_IFBLK, S_IFIFO…).</summary>
    [Syscall("mknodat")]
    public static partial void Mknodat(SafeFd dirFd, string path, uint mode, ulong device);

    /// <summary>makedev(3): a dev_t from major and minor numbers.</summary>
    public static ulong MakeDevice(uint major, uint minor) =>
        ((ulong)(major & 0xfffff000) << 32) | ((ulong)(major & 0xfff) << 8) | ((ulong)(minor & 0xffffff00) << 12) | (minor & 0xff);

    /// <summary>chroot(2).</summary>
    [Syscall("chroot")]
    public static partial void Chroot(string path);

    /// <summary>chdir(2): per process, or per thread after unshare(CLONE_FS).</summary>
    [Syscall("chdir")]
    public static partial void Chdir(string path);

    /// <summary>fchdir(2).</summary>
    [Syscall("fchdir")]
    public static partial void Fchdir(SafeFd fd);

    /// <summary>dup3(2): returns <paramref name="newFd"/>. Only O_CLOEXEC is valid in <paramref name="flags"/>.</summary>
    [Syscall("dup3")]
    public static partial int Dup3(SafeFd oldFd, int newFd, OpenFlags flags);

    /// <summary>pipe2(2), C shape.</summary>
    [Syscall("pipe2")]
    public static partial void Pipe2(out FdPair fds, OpenFlags flags);

    /// <summary>pipe2(2): the read end, then the write end, each owned.</summary>
    public static (SafeFd Read, SafeFd Write) Pipe2(OpenFlags flags)
    {
        Pipe2(out FdPair fds, flags);
        return (new SafeFd(fds.First), new SafeFd(fds.Second));
    }
}
