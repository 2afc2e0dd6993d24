using System.Runtime.InteropServices;

namespace Containers.Interop;

/// <summary>An owned file descriptor, closed exactly once (when disposed or finalized).</summary>
public sealed class SafeFd : SafeHandle
{
    public SafeFd() : base(new IntPtr(-1), ownsHandle: true) { }

    public SafeFd(int fd, bool ownsHandle = true) : base(new IntPtr(-1), ownsHandle) => SetHandle(new IntPtr(fd));

    /// <summary>Count of close(2) calls made by all SafeFds; tests use it to prove exactly-once release.</summary>
    internal static long CloseCount;

    public override bool IsInvalid => handle.ToInt64() < 0;

    /// <summary>The descriptor number. Only valid while this handle is alive.</summary>
    public int Value => (int)handle.ToInt64();

    /// <summary>AT_FDCWD, for *at calls relative to the working directory.</summary>
    public static SafeFd CurrentDirectory => new(-100, ownsHandle: false);

    public override string ToString() => IsClosed ? "fd=closed" : "fd=" + Value;

    protected override bool ReleaseHandle()
    {
        Interlocked.Increment(ref CloseCount);
        // close(2) must not be retried on EINTR: Linux has already released the descriptor.
        return Close((int)handle.ToInt64()) == 0;
    }

    [DllImport("libc.so.6", EntryPoint = "close")]
    private static extern int Close(int fd);
}
