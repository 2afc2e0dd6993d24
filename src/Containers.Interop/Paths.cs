namespace Containers.Interop;

/// <summary>Creating directories and links relative to a directory descriptor.</summary>
public static partial class Syscalls
{
    /// <summary>mkdirat(2).</summary>
    [Syscall("mkdirat")]
    public static partial void Mkdirat(SafeFd dirFd, string path, uint mode);

    /// <summary>symlinkat(2): creates <paramref name="linkPath"/> pointing at <paramref name="target"/>.</summary>
    [Syscall("symlinkat")]
    public static partial void Symlinkat(string target, SafeFd dirFd, string linkPath);

    /// <summary>fchownat(2); with <see cref="AtFlags.EmptyPath"/> and "" it changes <paramref name="dirFd"/> itself.</summary>
    [Syscall("fchownat")]
    public static partial void Fchownat(SafeFd dirFd, string path, uint uid, uint gid, AtFlags flags);

    /// <summary>umask(2): sets the process's file-creation mask and returns the previous one (it cannot fail).</summary>
    [Syscall("umask", RetryOnEintr = false)]
    public static partial int Umask(uint mask);
}
