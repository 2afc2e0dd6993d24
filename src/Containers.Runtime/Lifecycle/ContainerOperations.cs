using System.Text;
using Containers.Interop;
using Containers.Runtime.Cgroups;
using Containers.Runtime.Process;
using Containers.Runtime.Spec;

namespace Containers.Runtime.Lifecycle;

/// <summary>The OCI lifecycle after create: start, state, kill, delete, pause, resume, ps, update.</summary>
public sealed class ContainerOperations
{
    private readonly StateStore _store;

    public ContainerOperations(StateStore store) => _store = store;

    public StateStore Store => _store;

    /// <summary>creating, created, running, paused or stopped, read from the kernel, not from a cache.</summary>
    public string StatusOf(ContainerRecord record) => StatusOf(record, null);

    /// <param name="cgroups">The container's cgroups when the caller needs them too (built once: mountinfo read once).</param>
    private static string StatusOf(ContainerRecord record, Lazy<ICgroupManager>? cgroups)
    {
        if (!ProcessInfo.IsAlive(record.Pid, record.PidStartTime))
        {
            return ContainerStatus.Stopped;
        }
        if (!record.Started && ProcessInfo.IsStillInit(record.Pid))
        {
            return IsPausedWhileCreated(record, cgroups) ? "paused" : ContainerStatus.Created;
        }
        ICgroupManager manager = cgroups?.Value ?? CgroupsOf(record);
        if (IsFrozen(manager))
        {
            return "paused";
        }
        // The cgroup may have gone with the process since we looked: look again.
        return ProcessInfo.IsAlive(record.Pid, record.PidStartTime) ? ContainerStatus.Running : ContainerStatus.Stopped;
    }

    /// <summary>
    /// Whether the freezer says frozen. A container that exits while we read is removed by whoever
    /// waits for it (the shim): its cgroup files vanish (ENOENT) or go dead (ENODEV), which is "not frozen".
    /// </summary>
    private static bool IsFrozen(ICgroupManager manager)
    {
        try
        {
            return manager.Exists() && manager.GetFreezerState() == CgroupFreezerState.Frozen;
        }
        catch (SyscallException e) when (e.Errno == Errno.ENOENT || e.Errno == Errno.ENODEV)
        {
            return false;
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            return false;
        }
    }

    public ContainerState State(string id)
    {
        ContainerRecord record = _store.Load(id);
        return LifecycleState.Of(record, StatusOf(record));
    }

    public void Start(string id) => Start(_store.Load(id));

    /// <summary>Starts the container <paramref name="record"/> describes (as just returned by create: no re-read of state.json).</summary>
    public void Start(ContainerRecord record)
    {
        string id = record.Id;
        using (_store.Lock(id))
        {
            string status = StatusOf(record);
            if (status != ContainerStatus.Created)
            {
                throw new ContainerException(ContainerErrorKind.InvalidState,
                    status == ContainerStatus.Stopped ? $"cannot start a container that has stopped" : $"cannot start an already {status} container");
            }
            string stateDir = _store.DirectoryOf(id);
            string? error;
            try
            {
                using SafeFd start = StartSocket.Connect(stateDir);
                byte[] state = Encoding.UTF8.GetBytes(LifecycleState.Json(record, ContainerStatus.Running));
                Syscalls.Send(start, state, (nuint)state.Length, MessageFlags.NoSignal);
                // null: init exec'd the process (its end closed on exec)
                error = SyncSocket.Receive(start)?.Payload;
            }
            catch (SyscallException e)
            {
                error = $"container init is gone ({e.Message})";
            }
            File.Delete(Path.Join(stateDir, StartSocket.FileName));
            _store.Save(record with { Started = true });
            if (error is not null)
            {
                throw new ContainerException(ContainerErrorKind.Failed, $"start container \"{id}\": {error}");
            }
        }
        RunPoststart(record);
    }

    private static void RunPoststart(ContainerRecord record)
    {
        if (!MayHaveHooks(record, "poststart"))
        {
            return;
        }
        RuntimeSpec spec = SpecLoader.ParseJson(Encoding.UTF8.GetBytes(record.SpecJson));
        // The spec: a failing poststart hook is logged, the container keeps running.
        try
        {
            Hooks.Run("poststart", spec.Hooks?.Poststart, LifecycleState.Json(record, ContainerStatus.Running));
        }
        catch (InitStepException e)
        {
            RuntimeLog.Warn(e.Message);
        }
    }

    public void Kill(string id, Signal signal, bool all)
    {
        ContainerRecord record = _store.Load(id);
        string status = StatusOf(record);
        if (status == ContainerStatus.Stopped && !all)
        {
            throw new ContainerException(ContainerErrorKind.InvalidState, "container not running");
        }
        if (all)
        {
            ICgroupManager cgroups = CgroupsOf(record);
            if (cgroups.Exists())
            {
                foreach (int pid in cgroups.GetAllPids())
                {
                    Syscalls.TryKill(pid, signal);
                }
            }
            return;
        }
        Errno errno = Syscalls.TryKill(record.Pid, signal);
        if (!errno.IsSuccess && errno != Errno.ESRCH)
        {
            throw new SyscallException("kill", errno, $"pid={record.Pid}, signal={signal}");
        }
    }

    public void Delete(string id, bool force)
    {
        ContainerRecord record = _store.Load(id);
        using (_store.Lock(id))
        {
            var lazyCgroups = new Lazy<ICgroupManager>(() => CgroupsOf(record), LazyThreadSafetyMode.None);
            string status = StatusOf(record, lazyCgroups);
            if (status is ContainerStatus.Running or "paused" && !force)
            {
                throw new ContainerException(ContainerErrorKind.InvalidState,
                    $"cannot delete container {id} that is not stopped: {status}");
            }
            ICgroupManager cgroups = lazyCgroups.Value;
            if (status != ContainerStatus.Stopped)
            {
                KillAll(record, cgroups, status == "paused");
            }
            cgroups.Destroy();
            CgroupPaths.PruneEmptyParents(record.CgroupsPath, cgroups.Paths.Values, CgroupFileSystem.Instance);
            if (MayHaveHooks(record, "poststop"))
            {
                RuntimeSpec spec = SpecLoader.ParseJson(Encoding.UTF8.GetBytes(record.SpecJson));
                try
                {
                    Hooks.Run("poststop", spec.Hooks?.Poststop, LifecycleState.Json(record, ContainerStatus.Stopped));
                }
                catch (InitStepException e)
                {
                    RuntimeLog.Warn(e.Message);
                }
            }
        }
        _store.Remove(id);
    }

    /// <summary>
    /// False when the stored spec cannot hold hooks of this kind: its JSON (written by our own serializer,
    /// which never escapes ASCII letters) lacks the key. Spares a full spec parse — in a fresh `start` or
    /// `delete` process that is most of its work — for the common container without hooks.
    /// </summary>
    private static bool MayHaveHooks(ContainerRecord record, string kind) =>
        record.SpecJson.Contains("\"" + kind + "\"", StringComparison.Ordinal);

    private static void KillAll(ContainerRecord record, ICgroupManager cgroups, bool paused)
    {
        // A pidfd taken before the signal: its exit is then awaited (poll) instead of polled for (sleep loop).
        using SafeFd? init = OpenPidfd(record.Pid, record.PidStartTime);
        Syscalls.TryKill(record.Pid, Signal.SIGKILL);
        if (cgroups.Exists())
        {
            foreach (int pid in cgroups.GetAllPids())
            {
                Syscalls.TryKill(pid, Signal.SIGKILL);
            }
            if (paused)
            {
                cgroups.Thaw(); // frozen tasks cannot die
            }
        }
        long deadline = Environment.TickCount64 + 10_000;
        if (init is not null)
        {
            WaitForExits([init], deadline);
        }
        while (ProcessInfo.IsAlive(record.Pid, record.PidStartTime) || (cgroups.Exists() && cgroups.GetAllPids().Count > 0))
        {
            if (Environment.TickCount64 > deadline)
            {
                throw new ContainerException(ContainerErrorKind.Failed, $"container {record.Id}: processes still alive 10 s after SIGKILL");
            }
            // Left over: processes outside init's pid namespace (they do not die with it). Await them too.
            var left = new List<SafeFd>();
            try
            {
                foreach (int pid in cgroups.Exists() ? cgroups.GetAllPids() : [])
                {
                    if (OpenPidfd(pid, 0) is { } fd) left.Add(fd);
                }
                if (left.Count == 0 || !WaitForExits(left, deadline))
                {
                    Thread.Sleep(1); // exited but not yet reaped (or gone): nothing to await, re-read shortly
                }
            }
            finally
            {
                left.ForEach(fd => fd.Dispose());
            }
        }
    }

    /// <summary>A pidfd for <paramref name="pid"/> if it still runs the process started at <paramref name="startTime"/> (0: any).</summary>
    private static SafeFd? OpenPidfd(int pid, ulong startTime)
    {
        if (pid <= 0) return null;
        SafeFd fd;
        try
        {
            fd = Syscalls.PidfdOpen(pid, PidfdFlags.None);
        }
        catch (SyscallException)
        {
            return null;
        }
        // Checked after opening: the pidfd pins this very process, so a reused pid cannot slip in between.
        if (!ProcessInfo.IsAlive(pid, startTime))
        {
            fd.Dispose();
            return null;
        }
        return fd;
    }

    /// <summary>Waits until one of the processes exits (its pidfd turns readable) or the deadline; true if one did.</summary>
    private static bool WaitForExits(List<SafeFd> pidfds, long deadline)
    {
        var entries = new PollFd[pidfds.Count];
        for (int i = 0; i < entries.Length; i++) entries[i] = new PollFd { Fd = pidfds[i].Value, Events = PollEvents.In };
        int timeout = (int)Math.Clamp(deadline - Environment.TickCount64, 0, int.MaxValue);
        return Syscalls.Poll(ref entries[0], (nuint)entries.Length, timeout) > 0;
    }

    /// <summary>Freezes a running or created container (as runc does); <see cref="Resume"/> returns it to that state.</summary>
    public void Pause(string id)
    {
        using (_store.Lock(id))
        {
            ContainerRecord record = _store.Load(id);
            string status = StatusOf(record);
            if (status is not (ContainerStatus.Running or ContainerStatus.Created))
            {
                throw new ContainerException(ContainerErrorKind.InvalidState, $"cannot pause container {id}: it is {status}");
            }
            CgroupsOf(record).Freeze();
        }
    }

    /// <summary>Thaws a paused container: it is running again, or created (waiting for start) if it was paused before start.</summary>
    public void Resume(string id)
    {
        using (_store.Lock(id))
        {
            ContainerRecord record = _store.Load(id);
            if (StatusOf(record) != "paused")
            {
                throw new ContainerException(ContainerErrorKind.InvalidState, "container not paused");
            }
            CgroupsOf(record).Thaw();
        }
    }

    /// <summary>
    /// A created container can be paused too. Its init sleeps in accept() (state S) unless frozen, so the freezer is
    /// read only when /proc says the process is not plainly sleeping or running: `start` pays one small read, not a
    /// cgroup lookup.
    /// </summary>
    private static bool IsPausedWhileCreated(ContainerRecord record, Lazy<ICgroupManager>? cgroups)
    {
        string stat;
        try
        {
            stat = File.ReadAllText($"/proc/{record.Pid}/stat");
        }
        catch (IOException)
        {
            return false;
        }
        int end = stat.LastIndexOf(')');
        char state = end >= 0 && end + 2 < stat.Length ? stat[end + 2] : 'S';
        if (state is 'S' or 'R')
        {
            return false;
        }
        return IsFrozen(cgroups?.Value ?? CgroupsOf(record));
    }

    public IReadOnlyList<int> Processes(string id)
    {
        ContainerRecord record = _store.Load(id);
        ICgroupManager cgroups = CgroupsOf(record);
        return cgroups.Exists() ? cgroups.GetAllPids() : [];
    }

    public void Update(string id, ResourcesSpec resources)
    {
        ContainerRecord record = _store.Load(id);
        if (StatusOf(record) == ContainerStatus.Stopped)
        {
            throw new ContainerException(ContainerErrorKind.InvalidState, "container not running");
        }
        CgroupsOf(record).Set(ResourcesConverter.Convert(resources, addDefaultDevices: false));
    }

    public CgroupStats Stats(string id) => CgroupsOf(_store.Load(id)).GetStats();

    public static ICgroupManager CgroupsOf(ContainerRecord record)
    {
        var options = new CgroupManagerOptions();
        CgroupMounts mounts = CgroupMounts.Parse(File.ReadAllText(options.MountInfoPath));
        ProcessCgroups own = ProcessCgroups.Parse(record.CreatorCgroups);
        return CgroupManagerFactory.Create(record.CgroupsPath, mounts, own, options);
    }
}
