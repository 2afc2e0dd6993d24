using System.Runtime.InteropServices;

namespace Containers.Interop;

/// <summary>A Linux errno value. <c>default(Errno)</c> (0) means success.</summary>
/// <remarks>x86_64 and aarch64 share the asm-generic numbering, so one table serves both.</remarks>
public readonly partial struct Errno : IEquatable<Errno>
{
    public Errno(int value) => Value = value;

    public int Value { get; }

    public bool IsSuccess => Value == 0;

    /// <summary>The symbolic name, such as <c>ENOENT</c>; <c>E123</c> for numbers this table lacks.</summary>
    public string Name => Value == 0 ? "OK" : NameOf(Value) ?? "E" + Value;

    /// <summary>The C library's description (strerror).</summary>
    public string Message => Marshal.GetPInvokeErrorMessage(Value);

    /// <summary>Reads the errno of the last P/Invoke made with SetLastError=true on this thread.</summary>
    public static Errno Last => new(Marshal.GetLastPInvokeError());

    public static readonly Errno OK = new(0);
    public static readonly Errno EPERM = new(1);
    public static readonly Errno ENOENT = new(2);
    public static readonly Errno ESRCH = new(3);
    public static readonly Errno EINTR = new(4);
    public static readonly Errno EIO = new(5);
    public static readonly Errno ENXIO = new(6);
    public static readonly Errno E2BIG = new(7);
    public static readonly Errno ENOEXEC = new(8);
    public static readonly Errno EBADF = new(9);
    public static readonly Errno ECHILD = new(10);
    public static readonly Errno EAGAIN = new(11);
    public static readonly Errno ENOMEM = new(12);
    public static readonly Errno EACCES = new(13);
    public static readonly Errno EFAULT = new(14);
    public static readonly Errno EBUSY = new(16);
    public static readonly Errno EEXIST = new(17);
    public static readonly Errno EXDEV = new(18);
    public static readonly Errno ENODEV = new(19);
    public static readonly Errno ENOTDIR = new(20);
    public static readonly Errno EISDIR = new(21);
    public static readonly Errno EINVAL = new(22);
    public static readonly Errno EMFILE = new(24);
    public static readonly Errno ENOTTY = new(25);
    public static readonly Errno ETXTBSY = new(26);
    public static readonly Errno EFBIG = new(27);
    public static readonly Errno ENOSPC = new(28);
    public static readonly Errno ESPIPE = new(29);
    public static readonly Errno EROFS = new(30);
    public static readonly Errno EPIPE = new(32);
    public static readonly Errno ERANGE = new(34);
    public static readonly Errno ENAMETOOLONG = new(36);
    public static readonly Errno ENOSYS = new(38);
    public static readonly Errno ENOTEMPTY = new(39);
    public static readonly Errno ELOOP = new(40);
    public static readonly Errno ENODATA = new(61);
    public static readonly Errno EOVERFLOW = new(75);
    public static readonly Errno ENOTSUP = new(95);
    public static readonly Errno EOPNOTSUPP = ENOTSUP;
    public static readonly Errno ECONNREFUSED = new(111);

    public bool Equals(Errno other) => Value == other.Value;
    public override bool Equals(object? obj) => obj is Errno other && Equals(other);
    public override int GetHashCode() => Value;
    public static bool operator ==(Errno a, Errno b) => a.Value == b.Value;
    public static bool operator !=(Errno a, Errno b) => a.Value != b.Value;
    public override string ToString() => Name;

    private static string? NameOf(int value) => value switch
    {
        1 => "EPERM", 2 => "ENOENT", 3 => "ESRCH", 4 => "EINTR", 5 => "EIO", 6 => "ENXIO", 7 => "E2BIG",
        8 => "ENOEXEC", 9 => "EBADF", 10 => "ECHILD", 11 => "EAGAIN", 12 => "ENOMEM", 13 => "EACCES",
        14 => "EFAULT", 15 => "ENOTBLK", 16 => "EBUSY", 17 => "EEXIST", 18 => "EXDEV", 19 => "ENODEV",
        20 => "ENOTDIR", 21 => "EISDIR", 22 => "EINVAL", 23 => "ENFILE", 24 => "EMFILE", 25 => "ENOTTY",
        26 => "ETXTBSY", 27 => "EFBIG", 28 => "ENOSPC", 29 => "ESPIPE", 30 => "EROFS", 31 => "EMLINK",
        32 => "EPIPE", 33 => "EDOM", 34 => "ERANGE", 35 => "EDEADLK", 36 => "ENAMETOOLONG", 37 => "ENOLCK",
        38 => "ENOSYS", 39 => "ENOTEMPTY", 40 => "ELOOP", 42 => "ENOMSG", 43 => "EIDRM", 61 => "ENODATA",
        62 => "ETIME", 71 => "EPROTO", 74 => "EBADMSG", 75 => "EOVERFLOW", 84 => "EILSEQ", 88 => "ENOTSOCK",
        89 => "EDESTADDRREQ", 90 => "EMSGSIZE", 91 => "EPROTOTYPE", 92 => "ENOPROTOOPT",
        93 => "EPROTONOSUPPORT", 95 => "EOPNOTSUPP", 97 => "EAFNOSUPPORT", 98 => "EADDRINUSE",
        99 => "EADDRNOTAVAIL", 100 => "ENETDOWN", 101 => "ENETUNREACH", 103 => "ECONNABORTED",
        104 => "ECONNRESET", 105 => "ENOBUFS", 106 => "EISCONN", 107 => "ENOTCONN", 110 => "ETIMEDOUT",
        111 => "ECONNREFUSED", 113 => "EHOSTUNREACH", 114 => "EALREADY", 115 => "EINPROGRESS",
        116 => "ESTALE", 122 => "EDQUOT", 125 => "ECANCELED", 130 => "EOWNERDEAD",
        _ => null,
    };
}
