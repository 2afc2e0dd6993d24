namespace Containers.Interop;

/// <summary>The *at calls the image store and the layer unpacker need to stay inside a directory descriptor.</summary>
public static partial class Syscalls
{
    /// <summary>linkat(2); with <see cref="AtFlags.EmptyPath"/> and "" it links the inode <paramref name="oldDirFd"/> refers to (CAP_DAC_READ_SEARCH).</summary>
    [Syscall("linkat")]
    public static partial void Linkat(SafeFd oldDirFd, string oldPath, SafeFd newDirFd, string newPath, AtFlags flags);

    /// <summary>fchmodat(2): follows a final symlink (glibc refuses AT_SYMLINK_NOFOLLOW for links; their mode is meaningless).</summary>
    [Syscall("fchmodat")]
    public static partial void Fchmodat(SafeFd dirFd, string path, uint mode, AtFlags flags);

    /// <summary>utimensat(2): <paramref name="times"/> holds atime then mtime.</summary>
    [Syscall("utimensat")]
    public static partial void Utimensat(SafeFd dirFd, string path, ReadOnlySpan<TimeSpec> times, AtFlags flags);

    /// <summary>setxattr(2): follows symlinks, including /proc/self/fd magic links to O_PATH descriptors.</summary>
    [Syscall("setxattr")]
    public static partial void Setxattr(string path, string name, ReadOnlySpan<byte> value, nuint size, XattrFlags flags);

    /// <summary>lgetxattr(2): returns the value's length.</summary>
    [Syscall("lgetxattr")]
    public static partial long Lgetxattr(string path, string name, Span<byte> value, nuint size);

    /// <summary>renameat2(2).</summary>
    [Syscall("renameat2")]
    public static partial void Renameat2(SafeFd oldDirFd, string oldPath, SafeFd newDirFd, string newPath, RenameFlags flags);

    /// <summary>unlinkat(2); <see cref="AtFlags.RemoveDir"/> removes an empty directory.</summary>
    [Syscall("unlinkat")]
    public static partial void Unlinkat(SafeFd dirFd, string path, AtFlags flags);

    /// <summary>statx(2).</summary>
    [Syscall("statx")]
    public static partial void Statx(SafeFd dirFd, string path, AtFlags flags, StatxMask mask, out StatxBuffer buffer);

    /// <summary>fsync(2).</summary>
    [Syscall("fsync")]
    public static partial void Fsync(SafeFd fd);
}
