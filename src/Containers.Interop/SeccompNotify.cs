using System.Runtime.InteropServices;

namespace Containers.Interop;

/// <summary>
/// The seccomp user-notification API (seccomp_unotify(2)): a filter loaded with
/// SECCOMP_FILTER_FLAG_NEW_LISTENER returns a descriptor; a supervisor reads each SCMP_ACT_NOTIFY'd call
/// from it and answers in the caller's place.
/// </summary>
public static unsafe partial class Syscalls
{
    /// <summary>ioctl(SECCOMP_IOCTL_NOTIF_RECV): blocks until a call is notified. The struct must be zeroed first.</summary>
    [Syscall("ioctl")]
    public static partial int Ioctl(SafeFd listener, SeccompNotifyRequest request, ref SeccompNotification notification);

    /// <summary>ioctl(SECCOMP_IOCTL_NOTIF_SEND): answers one notification (ENOENT when its caller is gone).</summary>
    [Syscall("ioctl")]
    public static partial int Ioctl(SafeFd listener, SeccompNotifyRequest request, ref SeccompNotificationResponse response);

    /// <summary>ioctl(SECCOMP_IOCTL_NOTIF_ID_VALID): ENOENT when the notification's caller is gone.</summary>
    [Syscall("ioctl")]
    public static partial int Ioctl(SafeFd listener, SeccompNotifyRequest request, ref ulong id);

    /// <summary>The next notified call (blocks).</summary>
    public static SeccompNotification ReceiveSeccompNotification(SafeFd listener)
    {
        SeccompNotification notification = default; // the kernel refuses a struct that is not zeroed (EINVAL)
        Ioctl(listener, SeccompNotifyRequest.Receive, ref notification);
        return notification;
    }

    /// <summary>Answers <paramref name="response"/>.Id in the caller's place.</summary>
    public static void SendSeccompResponse(SafeFd listener, SeccompNotificationResponse response) =>
        Ioctl(listener, SeccompNotifyRequest.Send, ref response);
}

/// <summary>The SECCOMP_IOCTL_NOTIF_* requests (_IOWR('!', n, …) with the struct sizes of this ABI).</summary>
public enum SeccompNotifyRequest : ulong
{
    /// <summary>SECCOMP_IOCTL_NOTIF_RECV: _IOWR('!', 0, struct seccomp_notif).</summary>
    Receive = 0xC050_2100,
    /// <summary>SECCOMP_IOCTL_NOTIF_SEND: _IOWR('!', 1, struct seccomp_notif_resp).</summary>
    Send = 0xC018_2101,
    /// <summary>SECCOMP_IOCTL_NOTIF_ID_VALID: _IOW('!', 2, __u64).</summary>
    IdValid = 0x4008_2102,
}

/// <summary>struct seccomp_notif (80 bytes): one notified call.</summary>
[StructLayout(LayoutKind.Sequential)]
public struct SeccompNotification
{
    /// <summary>Cookie to answer with; unique for the listener's lifetime.</summary>
    public ulong Id;
    /// <summary>The caller's pid, in the listener-reader's pid namespace (0 when not visible there).</summary>
    public uint Pid;
    public uint Flags;
    /// <summary>struct seccomp_data: what the filter saw.</summary>
    public SeccompCallData Data;
}

/// <summary>struct seccomp_data (64 bytes).</summary>
[StructLayout(LayoutKind.Sequential)]
public unsafe struct SeccompCallData
{
    public int Nr;
    /// <summary>AUDIT_ARCH_* of the caller's ABI.</summary>
    public uint Arch;
    public ulong InstructionPointer;
    public fixed ulong Args[6];
}

/// <summary>struct seccomp_notif_resp (24 bytes): the answer to one notification.</summary>
[StructLayout(LayoutKind.Sequential)]
public struct SeccompNotificationResponse
{
    /// <summary>SECCOMP_USER_NOTIF_FLAG_CONTINUE: let the kernel run the call after all (Error and Value must be 0).</summary>
    public const uint FlagContinue = 1;

    public ulong Id;
    /// <summary>The call's return value when <see cref="Error"/> is 0.</summary>
    public long Value;
    /// <summary>A negated errno (-1 for EPERM) the call fails with, or 0.</summary>
    public int Error;
    public uint Flags;

    /// <summary>The call returns <paramref name="value"/> without running.</summary>
    public static SeccompNotificationResponse Success(ulong id, long value) => new() { Id = id, Value = value };

    /// <summary>The call fails with <paramref name="errno"/> (a positive errno).</summary>
    public static SeccompNotificationResponse Fail(ulong id, int errno) => new() { Id = id, Error = -errno };

    /// <summary>The kernel runs the call as if no filter had notified it.</summary>
    public static SeccompNotificationResponse Continue(ulong id) => new() { Id = id, Flags = FlagContinue };
}
