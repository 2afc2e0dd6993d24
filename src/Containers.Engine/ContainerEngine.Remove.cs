using System.Diagnostics;
using System.Text;
using System.Text.Json;
using Containers.Image;
using Containers.Interop;
using Containers.Runtime.Lifecycle;
using Containers.Runtime.Spec;
using RuntimeStatus = Containers.Runtime.Spec.ContainerStatus;

namespace Containers.Engine;

/// <summary>Remove: after the shim has left, the runtime state, the rootfs mount and the container directory go.</summary>
public sealed partial class ContainerEngine
{
    public void Remove(string idOrName, bool force)
    {
        string id = _store.Resolve(idOrName);
        using (_store.Lock(id))
        {
            Snapshot snapshot = Inspect(id, locked: true);
            if (snapshot.Info.State is ContainerState.Running or ContainerState.Paused)
            {
                if (!force)
                {
                    throw new EngineException(EngineErrorKind.InvalidState, $"container {snapshot.Info.Name} is {snapshot.Info.State.ToString().ToLowerInvariant()}: stop it first, or remove with force");
                }
                if (snapshot.Info.State == ContainerState.Paused) Runtime(() => _operations.Resume(id));
                KillAll(id);
                WaitForExit(id, KillGrace);
            }
            RemoveLocked(id, snapshot.Stored);
        }
    }

    /// <summary>
    /// The shim first (it deletes the runtime state itself: never delete it at the same time), then the
    /// runtime state, the rootfs mount, the directory and the name. Anything that fails before the mount
    /// is released leaves the container whole (listed, removable again), never a mount without a container.
    /// </summary>
    private void RemoveLocked(string id, StoredContainer stored)
    {
        WaitForShimToLeave(id);
        DeleteRuntimeState(id);
        RootfsProvider.Release(_store.RootfsOf(id));
        _store.Delete(id);
        _store.ReleaseName(stored.Name, id);
    }

    /// <summary>
    /// After exit the shim deletes the runtime state and its socket, then goes (or, with AutoRemove, waits
    /// for the container's lock, which our caller holds: it finds the container gone afterwards). Gives it
    /// a moment to get that far, then kills it.
    /// </summary>
    private void WaitForShimToLeave(string id)
    {
        StoredContainer? stored = _store.TryLoad(id);
        if (stored?.ShimPid is not { } pid || stored.ShimStartTime is not { } start) return;
        long deadline = Environment.TickCount64 + 3000;
        while (ProcessInfo.IsAlive(pid, start))
        {
            if (stored.Request.AutoRemove && !File.Exists(_store.SocketOf(id)) && File.Exists(_store.ExitFileOf(id)))
            {
                return; // past its runtime cleanup, waiting for our lock to remove the container
            }
            if (Environment.TickCount64 > deadline)
            {
                Syscalls.TryKill(pid, Signal.SIGKILL);
                for (int i = 0; i < 200 && ProcessInfo.IsAlive(pid, start); i++) Thread.Sleep(5);
                break;
            }
            Thread.Sleep(5);
        }
    }

    private void DeleteRuntimeState(string id)
    {
        for (int attempt = 0; ; attempt++)
        {
            try
            {
                _operations.Delete(id, force: true);
                return;
            }
            catch (ContainerException e) when (e.Kind == ContainerErrorKind.NotFound)
            {
                return;
            }
            catch (ContainerException e) when (e.Kind == ContainerErrorKind.Corrupt)
            {
                _runtimeStore.Remove(id);
                return;
            }
            catch (IOException) when (attempt < 5)
            {
                // another process (a shim killed mid-delete, another session) was deleting it too
                Thread.Sleep(20);
            }
        }
    }
}
