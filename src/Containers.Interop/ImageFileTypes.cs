using System.Runtime.InteropServices;

namespace Containers.Interop;

/// <summary>struct timespec (64-bit).</summary>
[StructLayout(LayoutKind.Sequential)]
public struct TimeSpec
{
    /// <summary>UTIME_OMIT: leave this time as it is.</summary>
    public const long Omit = (1L << 30) - 2;

    public long Seconds;
    public long Nanoseconds;

    public static TimeSpec From(DateTimeOffset time)
    {
        long ticks = time.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks;
        long seconds = Math.DivRem(ticks, TimeSpan.TicksPerSecond, out long rest);
        if (rest < 0)
        {
            seconds--;
            rest += TimeSpan.TicksPerSecond;
        }

        return new TimeSpec { Seconds = seconds, Nanoseconds = rest * 100 };
    }
}

/// <summary>setxattr(2) flags.</summary>
[Flags]
public enum XattrFlags
{
    None = 0,
    /// <summary>XATTR_CREATE</summary>
    Create = 1,
    /// <summary>XATTR_REPLACE</summary>
    Replace = 2,
}

/// <summary>renameat2(2) flags, <c>RENAME_*</c>.</summary>
[Flags]
public enum RenameFlags : uint
{
    None = 0,
    /// <summary>RENAME_NOREPLACE</summary>
    NoReplace = 1,
    /// <summary>RENAME_EXCHANGE</summary>
    Exchange = 2,
}

/// <summary>statx(2) mask, <c>STATX_*</c>.</summary>
[Flags]
public enum StatxMask : uint
{
    /// <summary>STATX_TYPE</summary>
    Type = 1,
    /// <summary>STATX_MODE</summary>
    Mode = 2,
    /// <summary>STATX_NLINK</summary>
    Nlink = 4,
    /// <summary>STATX_UID</summary>
    Uid = 8,
    /// <summary>STATX_GID</summary>
    Gid = 0x10,
    /// <summary>STATX_SIZE</summary>
    Size = 0x200,
    /// <summary>STATX_BASIC_STATS</summary>
    Basic = 0x7ff,
}

/// <summary>struct statx (256 bytes); the fields this library reads.</summary>
[StructLayout(LayoutKind.Explicit, Size = 256)]
public struct StatxBuffer
{
    /// <summary>S_IFMT</summary>
    public const uint TypeMask = 0xF000;
    public const uint Directory = 0x4000;
    public const uint Regular = 0x8000;
    public const uint Symlink = 0xA000;

    [FieldOffset(0)] public uint Mask;
    [FieldOffset(16)] public uint Nlink;
    [FieldOffset(20)] public uint Uid;
    [FieldOffset(24)] public uint Gid;
    [FieldOffset(28)] public ushort Mode;
    [FieldOffset(32)] public ulong Inode;
    [FieldOffset(40)] public ulong Size;
    [FieldOffset(112)] public long MtimeSeconds;
    [FieldOffset(120)] public uint MtimeNanoseconds;
    [FieldOffset(128)] public uint RdevMajor;
    [FieldOffset(132)] public uint RdevMinor;
    [FieldOffset(136)] public uint DevMajor;
    [FieldOffset(140)] public uint DevMinor;

    public readonly uint FileType => Mode & TypeMask;
    public readonly bool IsDirectory => FileType == Directory;
}
