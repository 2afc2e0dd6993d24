namespace Containers.Runtime.Cgroups;

/// <summary>
/// Hides the latency of the first cgroup migration of a create. Moving a task by pid (cgroup.procs,
/// or tasks with a pid) write-locks the kernel's global cgroup_threadgroup_rwsem, and when no other
/// migration ran in the last RCU grace period that lock waits a whole grace period: measured here
/// 5–18 ms for the first write, ~0.02 ms for the ones right after. The wait is pure latency, so a
/// background thread starts it at the beginning of create by "moving" itself (its own tid) into
/// the v1 cgroup it is already in — a no-op for every task, that thread included — while the
/// caller loads the spec, copies the executable and spawns init. By the time init's pid is
/// written the lock is fast again. Best effort: any failure only costs the latency back.
/// cgroup v1 hierarchies only (v1 and hybrid hosts); on a pure v2 host it does nothing.
/// </summary>
public static class CgroupMigrationPrimer
{
    private static int _started;

    /// <summary>Starts the primer once per process (later calls do nothing).</summary>
    public static void Start()
    {
        if (Interlocked.Exchange(ref _started, 1) != 0) return;
        try
        {
            var thread = new Thread(Prime, maxStackSize: 256 * 1024) { IsBackground = true, Name = "cgroup-primer" };
            thread.UnsafeStart();
        }
        catch (OutOfMemoryException)
        {
        }
        catch (ThreadStartException)
        {
        }
    }

    private static void Prime()
    {
        try
        {
            // gettid, not /proc's view: the tasks file reads ids in the writer's pid namespace.
            string tid = Containers.Interop.Syscalls.Gettid().ToString(System.Globalization.CultureInfo.InvariantCulture);
            string? line = null; // this thread's own cgroups (a thread may sit elsewhere than its process)
            foreach (string l in File.ReadAllText("/proc/thread-self/cgroup").Split('\n'))
            {
                if (l.Length > 0 && !l.StartsWith("0:", StringComparison.Ordinal))
                {
                    line = l;
                    break;
                }
            }
            if (line is null) return; // cgroup v2 only: nothing to prime
            string[] parts = line.Split(':', 3);
            if (parts.Length != 3) return;
            string controller = parts[1].Split(',')[0];
            if (!CgroupMounts.Read().V1.TryGetValue(controller, out CgroupMount? mount)) return;
            string own = parts[2];
            string relative = mount.Root is "/" or "" ? own
                : own == mount.Root ? "/"
                : own.StartsWith(mount.Root + "/", StringComparison.Ordinal) ? own[mount.Root.Length..]
                : null!;
            if (relative is null) return;
            string tasks = Path.Join(mount.MountPoint, relative.Trim('/'), "tasks");
            File.WriteAllText(tasks, tid);
        }
        catch (Exception)
        {
            // Only an optimization: the real migration works (slower) without it.
        }
    }
}
