using System.Runtime.InteropServices;
using Containers.Interop;

namespace Containers.Runtime.Cgroups;

/// <summary>
/// Loads the device program for a cgroup v2 directory and attaches it (BPF_F_ALLOW_MULTI), then
/// detaches the programs that were there before, so an update never leaves a window without one
/// (runc's order).
/// </summary>
public sealed unsafe partial class BpfDeviceFilter : ICgroupDeviceFilter
{
    private const int BPF_PROG_LOAD = 5;
    private const int BPF_PROG_ATTACH = 8;
    private const int BPF_PROG_DETACH = 9;
    private const int BPF_PROG_GET_FD_BY_ID = 13;
    private const int BPF_PROG_QUERY = 16;
    private const int BPF_PROG_TYPE_CGROUP_DEVICE = 15;
    private const int BPF_CGROUP_DEVICE = 6;
    private const int BPF_F_ALLOW_MULTI = 2;
    private const int O_RDONLY_DIRECTORY_CLOEXEC = 0x10000 | 0x80000;
    private const int AttrSize = 128;

    public void Apply(string cgroupPath, CgroupDeviceRules rules)
    {
        byte[] code = DeviceFilterProgram.Encode(DeviceFilterProgram.Assemble(rules));
        int cgroupFd = Open(cgroupPath, O_RDONLY_DIRECTORY_CLOEXEC);
        if (cgroupFd < 0)
        {
            throw new SyscallException("open", Errno.Last, $"\"{cgroupPath}\", O_DIRECTORY");
        }

        try
        {
            uint[] previous = Query(cgroupFd, cgroupPath);
            int programFd = Load(code);
            try
            {
                Attach(cgroupFd, programFd, cgroupPath);
            }
            finally
            {
                Close(programFd); // the attachment keeps the program alive
            }

            foreach (uint id in previous)
            {
                Detach(cgroupFd, id, cgroupPath);
            }
        }
        finally
        {
            Close(cgroupFd);
        }
    }

    /// <summary>The ids of the device programs attached directly to <paramref name="cgroupPath"/>.</summary>
    public static IReadOnlyList<uint> AttachedProgramIds(string cgroupPath)
    {
        int fd = Open(cgroupPath, O_RDONLY_DIRECTORY_CLOEXEC);
        if (fd < 0)
        {
            throw new SyscallException("open", Errno.Last, $"\"{cgroupPath}\", O_DIRECTORY");
        }

        try
        {
            return Query(fd, cgroupPath);
        }
        finally
        {
            Close(fd);
        }
    }

    private static int Load(byte[] code)
    {
        byte* attr = stackalloc byte[AttrSize];
        new Span<byte>(attr, AttrSize).Clear();
        byte[] license = "Apache\0"u8.ToArray();
        byte[] log = new byte[16384];
        fixed (byte* insns = code)
        fixed (byte* lic = license)
        fixed (byte* logBuf = log)
        {
            *(uint*)(attr + 0) = BPF_PROG_TYPE_CGROUP_DEVICE;
            *(uint*)(attr + 4) = (uint)(code.Length / 8);
            *(ulong*)(attr + 8) = (ulong)insns;
            *(ulong*)(attr + 16) = (ulong)lic;
            *(uint*)(attr + 24) = 1; // log_level: the verifier explains a refusal
            *(uint*)(attr + 28) = (uint)log.Length;
            *(ulong*)(attr + 32) = (ulong)logBuf;
            int fd = (int)Bpf(BPF_PROG_LOAD, attr);
            if (fd < 0)
            {
                Errno errno = Errno.Last;
                string verifier = System.Text.Encoding.ASCII.GetString(log).TrimEnd('\0').Trim();
                throw new SyscallException("bpf", errno, $"BPF_PROG_LOAD, BPF_PROG_TYPE_CGROUP_DEVICE, {code.Length / 8} insns{(verifier.Length > 0 ? ", verifier: " + verifier : string.Empty)}");
            }

            return fd;
        }
    }

    private static void Attach(int cgroupFd, int programFd, string path)
    {
        byte* attr = stackalloc byte[AttrSize];
        new Span<byte>(attr, AttrSize).Clear();
        *(uint*)(attr + 0) = (uint)cgroupFd;
        *(uint*)(attr + 4) = (uint)programFd;
        *(uint*)(attr + 8) = BPF_CGROUP_DEVICE;
        *(uint*)(attr + 12) = BPF_F_ALLOW_MULTI;
        if (Bpf(BPF_PROG_ATTACH, attr) < 0)
        {
            throw new SyscallException("bpf", Errno.Last, $"BPF_PROG_ATTACH, \"{path}\", BPF_CGROUP_DEVICE, BPF_F_ALLOW_MULTI");
        }
    }

    /// <summary>The ids of the device programs attached to this cgroup itself (not inherited).</summary>
    private static uint[] Query(int cgroupFd, string path)
    {
        uint[] ids = new uint[64];
        byte* attr = stackalloc byte[AttrSize];
        new Span<byte>(attr, AttrSize).Clear();
        fixed (uint* idBuf = ids)
        {
            *(uint*)(attr + 0) = (uint)cgroupFd;
            *(uint*)(attr + 4) = BPF_CGROUP_DEVICE;
            *(ulong*)(attr + 16) = (ulong)idBuf;
            *(uint*)(attr + 24) = (uint)ids.Length;
            if (Bpf(BPF_PROG_QUERY, attr) < 0)
            {
                throw new SyscallException("bpf", Errno.Last, $"BPF_PROG_QUERY, \"{path}\", BPF_CGROUP_DEVICE");
            }

            return ids.AsSpan(0, (int)*(uint*)(attr + 24)).ToArray();
        }
    }

    private static void Detach(int cgroupFd, uint id, string path)
    {
        byte* attr = stackalloc byte[AttrSize];
        new Span<byte>(attr, AttrSize).Clear();
        *(uint*)attr = id;
        int programFd = (int)Bpf(BPF_PROG_GET_FD_BY_ID, attr);
        if (programFd < 0)
        {
            throw new SyscallException("bpf", Errno.Last, $"BPF_PROG_GET_FD_BY_ID, {id}");
        }

        try
        {
            new Span<byte>(attr, AttrSize).Clear();
            *(uint*)(attr + 0) = (uint)cgroupFd;
            *(uint*)(attr + 4) = (uint)programFd;
            *(uint*)(attr + 8) = BPF_CGROUP_DEVICE;
            if (Bpf(BPF_PROG_DETACH, attr) < 0)
            {
                throw new SyscallException("bpf", Errno.Last, $"BPF_PROG_DETACH, \"{path}\", prog {id}");
            }
        }
        finally
        {
            Close(programFd);
        }
    }

    private static long Bpf(int command, byte* attr)
    {
        if (!SyscallTable.TryGetNumber("bpf", out int number))
        {
            throw new PlatformNotSupportedException("bpf(2) has no syscall number for this architecture in syscalls.tsv");
        }

        return Syscall(number, command, attr, AttrSize);
    }

    // glibc's syscall(2) is variadic, but assembly that never touches vector registers: fixed integer arguments are safe.
    [LibraryImport("libc", EntryPoint = "syscall", SetLastError = true)]
    private static partial long Syscall(long number, long command, byte* attr, long size);

    [LibraryImport("libc", EntryPoint = "open", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int Open(string path, int flags);

    [LibraryImport("libc", EntryPoint = "close")]
    private static partial int Close(int fd);
}
