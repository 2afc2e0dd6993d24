namespace Containers.Interop;

/// <summary>
/// A failed system call: the call, the arguments that identify what it acted on, and the errno.
/// The message reads <c>mount(source="tmpfs", target="/rootfs/dev", flags=NoSuid): EPERM (Operation not permitted)</c>.
/// </summary>
public class SyscallException : IOException
{
    public SyscallException(string call, Errno errno, string? arguments = null)
        : base(Format(call, errno, arguments))
    {
        Call = call;
        Errno = errno;
        Arguments = arguments ?? string.Empty;
        HResult = errno.Value;
    }

    /// <summary>The C function or kernel call that failed, e.g. <c>pivot_root</c>.</summary>
    public string Call { get; }

    public Errno Errno { get; }

    /// <summary>The path, fd and flag arguments as they appear in the message.</summary>
    public string Arguments { get; }

    public SyscallErrorKind Kind => KindOf(Errno);

    public static SyscallErrorKind KindOf(Errno errno) => errno.Value switch
    {
        2 or 3 or 6 or 19 or 20 => SyscallErrorKind.NotFound,          // ENOENT ESRCH ENXIO ENODEV ENOTDIR
        1 or 13 or 30 => SyscallErrorKind.AccessDenied,                 // EPERM EACCES EROFS
        17 or 39 => SyscallErrorKind.AlreadyExists,                     // EEXIST ENOTEMPTY
        16 or 26 or 11 => SyscallErrorKind.Busy,                        // EBUSY ETXTBSY EAGAIN
        22 or 9 or 36 or 40 or 34 or 75 or 7 => SyscallErrorKind.InvalidArgument, // EINVAL EBADF ENAMETOOLONG ELOOP ERANGE EOVERFLOW E2BIG
        38 or 95 => SyscallErrorKind.NotSupported,                      // ENOSYS EOPNOTSUPP
        _ => SyscallErrorKind.Other,
    };

    /// <summary>
    /// The .NET exception a caller outside the runtime expects for this failure
    /// (FileNotFoundException, UnauthorizedAccessException, ...), with this exception inside.
    /// </summary>
    public Exception ToFrameworkException() => Kind switch
    {
        SyscallErrorKind.NotFound => new FileNotFoundException(Message, this),
        SyscallErrorKind.AccessDenied => new UnauthorizedAccessException(Message, this),
        SyscallErrorKind.InvalidArgument => new ArgumentException(Message, this),
        SyscallErrorKind.NotSupported => new PlatformNotSupportedException(Message, this),
        _ => new IOException(Message, this),
    };

    private static string Format(string call, Errno errno, string? arguments) =>
        $"{call}({arguments}): {errno.Name} ({errno.Message})";
}
