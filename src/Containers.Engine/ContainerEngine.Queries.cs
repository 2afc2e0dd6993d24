using System.Diagnostics;
using System.Text;
using System.Text.Json;
using Containers.Image;
using Containers.Interop;
using Containers.Runtime.Lifecycle;
using Containers.Runtime.Spec;
using RuntimeStatus = Containers.Runtime.Spec.ContainerStatus;

namespace Containers.Engine;

/// <summary>What a container is now, from disk and the kernel; settles containers whose shim was killed.</summary>
public sealed partial class ContainerEngine
{
    public IReadOnlyList<ContainerInfo> List() =>
        [.. _store.Ids().Select(TryInspect).OfType<Snapshot>().Select(s => s.Info).OrderByDescending(i => i.CreatedAt)];

    public ContainerInfo Get(string idOrName) => Inspect(_store.Resolve(idOrName)).Info;

    private sealed record Snapshot(StoredContainer Stored, ContainerInfo Info, ContainerRecord? Runtime);

    private Snapshot? TryInspect(string id)
    {
        try
        {
            return Inspect(id);
        }
        catch (EngineException e) when (e.Kind == EngineErrorKind.NotFound)
        {
            return null;
        }
    }

    /// <summary>
    /// The container's state from disk and the kernel. A shim that died before writing exit.json is
    /// settled here (under the lock): processes left in the cgroup are killed, the runtime state is
    /// deleted and exit.json written: exit code 137 if we had to kill the container (that is what
    /// ended it), null if it had already exited (its status died with the shim).
    /// </summary>
    private Snapshot Inspect(string id, bool locked = false)
    {
        StoredContainer stored = _store.TryLoad(id) ?? throw NotFound(id);
        if (stored.StartedAt is null) return new Snapshot(stored, ToInfo(stored, ContainerState.Created, null, null), null);
        ShimExit? exit = _store.TryLoadExit(id);
        if (exit is not null) return Exited(stored, exit);

        ContainerRecord? record = TryLoadRuntime(id);
        string status = record is null ? RuntimeStatus.Stopped : _operations.StatusOf(record);
        bool shimAlive = stored.ShimPid is { } pid && stored.ShimStartTime is { } start && ProcessInfo.IsAlive(pid, start);
        if (shimAlive)
        {
            if (status != RuntimeStatus.Stopped)
            {
                ContainerState state = status == "paused" ? ContainerState.Paused : ContainerState.Running;
                return new Snapshot(stored, ToInfo(stored, state, null, record!.Pid), record);
            }
            // The container has exited; the shim is writing exit.json.
            for (int i = 0; i < 200 && exit is null; i++)
            {
                Thread.Sleep(10);
                exit = _store.TryLoadExit(id);
                if (!ProcessInfo.IsAlive(stored.ShimPid!.Value, stored.ShimStartTime!.Value)) break;
            }
            exit ??= _store.TryLoadExit(id);
            if (exit is not null) return Exited(stored, exit);
        }
        return locked ? SettleLostShim(id, stored) : SettleLostShimLocked(id);
    }

    private Snapshot SettleLostShimLocked(string id)
    {
        using (_store.Lock(id))
        {
            return Inspect(id, locked: true);
        }
    }

    private Snapshot SettleLostShim(string id, StoredContainer stored)
    {
        ContainerRecord? record = TryLoadRuntime(id);
        bool wasRunning = record is not null && _operations.StatusOf(record) != RuntimeStatus.Stopped;
        if (record is not null)
        {
            KillAll(id);
            DeleteRuntimeState(id);
        }
        var exit = new ShimExit { ExitCode = wasRunning ? 137 : null, FinishedAt = DateTimeOffset.UtcNow, Reason = "shim-lost" };
        _store.SaveExit(id, exit);
        if (stored.Request.AutoRemove)
        {
            RemoveLocked(id, stored);
        }
        return Exited(stored, exit);
    }

    private static Snapshot Exited(StoredContainer stored, ShimExit exit) =>
        new(stored, ToInfo(stored, ContainerState.Exited, exit, null), null);

    private ContainerRecord? TryLoadRuntime(string id)
    {
        try
        {
            return _runtimeStore.Load(id);
        }
        catch (ContainerException)
        {
            return null;
        }
    }

    private static ContainerInfo ToInfo(StoredContainer stored, ContainerState state, ShimExit? exit, int? pid) => new()
    {
        Id = stored.Id,
        Name = stored.Name,
        State = state,
        Command = stored.Command,
        Rootfs = stored.RootfsSource,
        CreatedAt = stored.CreatedAt,
        StartedAt = stored.StartedAt,
        FinishedAt = exit?.FinishedAt,
        ExitCode = exit?.ExitCode,
        Pid = pid,
        MemoryLimit = stored.Request.Memory,
        Labels = stored.Request.Labels,
        AutoRemove = stored.Request.AutoRemove,
        Tty = stored.Request.Tty,
        Image = stored.Image,
        ImageId = stored.ImageId,
        ExposedPorts = stored.ExposedPorts ?? [],
        Volumes = stored.Volumes ?? [],
    };
}
