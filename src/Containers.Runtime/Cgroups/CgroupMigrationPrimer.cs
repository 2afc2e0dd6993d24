using System.Runtime.InteropServices;
using System.Text;

namespace Containers.Runtime.Cgroups;

/// <summary>
/// Hides the latency of the first cgroup migration of a create. Moving a task by pid (cgroup.procs,
/// or tasks with a pid) write-locks the kernel's global cgroup_threadgroup_rwsem, and when no other
/// migration ran in the last RCU grace period that lock waits a whole grace period: measured here
/// 5–18 ms for the first write, ~0.02 ms for the ones right after. The wait is pure latency, so a
/// background thread starts it at the beginning of create by "moving" itself (its own tid) into
/// the v1 cgroup its process is in — a no-op for every other task, and that thread exits right
/// after — while the caller loads the spec, copies the executable and spawns init. By the time
/// init's pid is written the lock is fast again. Best effort: any failure only costs the latency
/// back. cgroup v1 hierarchies only (v1 and hybrid hosts); on a pure v2 host it does nothing.
/// </summary>
public static unsafe class CgroupMigrationPrimer
{
    private static int _started;

    /// <summary>Starts the primer once per process (later calls do nothing).</summary>
    public static void Start()
    {
        if (Interlocked.Exchange(ref _started, 1) != 0) return;
        try
        {
            // Everything managed happens here, on the caller's thread: the primer thread itself only
            // makes plain libc calls. (Two threads running first-time class constructors of the base
            // library at once can livelock NativeAOT's class-constructor lock: seen here, at start-up.)
            string? tasks = TasksFileOfThisProcess();
            if (tasks is null) return;
            byte[] path = Encoding.UTF8.GetBytes(tasks + "\0");
            if (!Containers.Interop.SyscallTable.TryGetNumber("gettid", out int gettid)) return;
            var thread = new Thread(() => Prime(path, gettid), maxStackSize: 64 * 1024) { IsBackground = true, Name = "cgroup-primer" };
            thread.UnsafeStart();
        }
        catch (Exception)
        {
            // Only an optimization.
        }
    }

    /// <summary>The tasks file of this process's cgroup in its first v1 hierarchy, or null (v2 only, or unknown).</summary>
    private static string? TasksFileOfThisProcess()
    {
        string? line = null;
        foreach (string l in File.ReadAllText("/proc/self/cgroup").Split('\n'))
        {
            if (l.Length > 0 && !l.StartsWith("0:", StringComparison.Ordinal))
            {
                line = l;
                break;
            }
        }
        if (line is null) return null; // cgroup v2 only: nothing to prime
        string[] parts = line.Split(':', 3);
        if (parts.Length != 3) return null;
        string controller = parts[1].Split(',')[0];
        if (!CgroupMounts.Read().V1.TryGetValue(controller, out CgroupMount? mount)) return null;
        string own = parts[2];
        string? relative = mount.Root is "/" or "" ? own
            : own == mount.Root ? "/"
            : own.StartsWith(mount.Root + "/", StringComparison.Ordinal) ? own[mount.Root.Length..]
            : null;
        return relative is null ? null : Path.Join(mount.MountPoint, relative.Trim('/'), "tasks");
    }

    private static void Prime(byte[] path, int gettid)
    {
        // gettid: the tasks file reads ids in the writer's pid namespace.
        long tid = Syscall(gettid);
        byte* digits = stackalloc byte[24];
        int length = 0;
        for (long v = tid; ; v /= 10)
        {
            digits[23 - length++] = (byte)('0' + v % 10);
            if (v < 10) break;
        }
        fixed (byte* p = path)
        {
            int fd = Open(p, OWronly | OCloexec);
            if (fd < 0) return;
            Write(fd, digits + 24 - length, (nuint)length);
            Close(fd);
        }
    }

    private const int OWronly = 0x1, OCloexec = 0x80000;

    [DllImport("libc", EntryPoint = "open")]
    private static extern int Open(byte* path, int flags);

    [DllImport("libc", EntryPoint = "write")]
    private static extern nint Write(int fd, byte* buffer, nuint count);

    [DllImport("libc", EntryPoint = "close")]
    private static extern int Close(int fd);

    [DllImport("libc", EntryPoint = "syscall")]
    private static extern long Syscall(long number);
}
