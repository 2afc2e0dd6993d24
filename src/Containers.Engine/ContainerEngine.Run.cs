using System.Diagnostics;
using System.Text;
using System.Text.Json;
using Containers.Image;
using Containers.Interop;
using Containers.Runtime.Lifecycle;
using Containers.Runtime.Spec;
using RuntimeStatus = Containers.Runtime.Spec.ContainerStatus;

namespace Containers.Engine;

/// <summary>Start (through a new shim), wait, stop, restart, pause and resume.</summary>
public sealed partial class ContainerEngine
{
    public ContainerInfo Start(string idOrName)
    {
        string id = _store.Resolve(idOrName);
        using (_store.Lock(id))
        {
            Snapshot snapshot = Inspect(id, locked: true);
            switch (snapshot.Info.State)
            {
                case ContainerState.Running:
                    return snapshot.Info;
                case ContainerState.Paused:
                    throw new EngineException(EngineErrorKind.InvalidState, $"container {snapshot.Info.Name} is paused: resume it instead");
            }
            StoredContainer stored = snapshot.Stored;
            EnsureRootfs(stored);
            WaitForShimToLeave(id); // the last run's shim may still be deleting its runtime state
            File.Delete(_store.ExitFileOf(id));
            DeleteRuntimeState(id);
            DateTimeOffset runSince = DateTimeOffset.UtcNow;
            ShimStartResult result = ShimClient.Start(new ShimClient.Options(_options.RuntimeExecutable, _runtimeStore.Root, _store.DirectoryOf(id), id,
                stored.Request.Interactive, stored.Request.AutoRemove ? _store.NameFileOf(stored.Name) : null,
                _options.LogMaxBytes, _options.LogMaxFiles));
            if (!result.Ok)
            {
                var failure = new EngineException(StartErrorKind(result.Error), $"container {stored.Name}: {result.Error}");
                if (stored.Request.AutoRemove)
                {
                    // `docker run --rm`: a container that cannot start is removed, under the lock we hold, so no
                    // other session sees it half removed; the start error is what the caller gets.
                    try
                    {
                        RemoveLocked(id, stored);
                    }
                    catch (Exception e) when (e is IOException or UnauthorizedAccessException or ContainerException or SyscallException or EngineException)
                    {
                        throw new EngineException(failure.Kind, $"{failure.Message} (and removing it failed: {e.Message})", e);
                    }
                }
                throw failure;
            }
            stored = stored with
            {
                StartedAt = result.StartedAt,
                RunSince = runSince,
                ShimPid = result.ShimPid,
                ShimStartTime = ProcessInfo.StartTime(result.ShimPid),
            };
            _store.Save(stored);
            return Inspect(id, locked: true).Info;
        }
    }

    private static EngineErrorKind StartErrorKind(string? error) =>
        error is not null && (error.Contains("permission denied", StringComparison.OrdinalIgnoreCase) || error.Contains("EACCES", StringComparison.Ordinal) || error.Contains("EPERM", StringComparison.Ordinal))
            ? EngineErrorKind.PermissionDenied
            : EngineErrorKind.Failed;

    public ContainerInfo? Wait(string idOrName, TimeSpan? timeout, CancellationToken cancellation)
    {
        string id = _store.Resolve(idOrName);
        long deadline = timeout is { } t ? Environment.TickCount64 + (long)t.TotalMilliseconds : long.MaxValue;
        Snapshot snapshot = Inspect(id);
        while (true)
        {
            if (snapshot.Info.State == ContainerState.Exited) return snapshot.Info;
            cancellation.ThrowIfCancellationRequested();
            long left = deadline - Environment.TickCount64;
            if (left <= 0) return null;
            if (snapshot.Info.State is ContainerState.Running or ContainerState.Paused)
            {
                ShimExit? exit = ShimClient.Wait(_store.SocketOf(id), TimeSpan.FromMilliseconds(Math.Min(left, int.MaxValue)), cancellation);
                if (exit is not null)
                {
                    // With AutoRemove the container may be gone by now: report what the shim said.
                    Snapshot? after = TryInspect(id);
                    return after is { Info.State: ContainerState.Exited }
                        ? after.Info
                        : snapshot.Info with { State = ContainerState.Exited, ExitCode = exit.ExitCode, FinishedAt = exit.FinishedAt, Pid = null };
                }
            }
            cancellation.ThrowIfCancellationRequested();
            if (deadline - Environment.TickCount64 <= 0) return null;
            cancellation.WaitHandle.WaitOne(50);
            Snapshot? next = TryInspect(id);
            if (next is null)
            {
                return snapshot.Info.AutoRemove
                    ? snapshot.Info with { State = ContainerState.Exited, Pid = null }
                    : throw NotFound(idOrName);
            }
            snapshot = next;
        }
    }

    public ContainerInfo Stop(string idOrName, TimeSpan timeout)
    {
        string id = _store.Resolve(idOrName);
        using (_store.Lock(id))
        {
            return StopLocked(id, timeout);
        }
    }

    private ContainerInfo StopLocked(string id, TimeSpan timeout)
    {
        Snapshot snapshot = Inspect(id, locked: true);
        if (snapshot.Info.State is not (ContainerState.Running or ContainerState.Paused)) return snapshot.Info;
        Signal signal = snapshot.Stored.Request.StopSignal is { } s ? ParseSignal(s, "StopSignal") : Signal.SIGTERM;
        try
        {
            if (snapshot.Info.State == ContainerState.Paused) _operations.Resume(id);
            _operations.Kill(id, signal, all: false);
        }
        catch (ContainerException)
        {
            // exited meanwhile
        }
        if (WaitForExit(id, timeout) is null)
        {
            KillAll(id);
            WaitForExit(id, KillGrace);
        }
        return Inspect(id, locked: true).Info;
    }

    private void KillAll(string id)
    {
        try
        {
            _operations.Kill(id, Signal.SIGKILL, all: true);
            _operations.Kill(id, Signal.SIGKILL, all: false);
        }
        catch (ContainerException)
        {
            // gone
        }
    }

    /// <summary>Waits for exit.json (or a dead shim); the caller holds the lock.</summary>
    private ShimExit? WaitForExit(string id, TimeSpan timeout)
    {
        long deadline = Environment.TickCount64 + (long)timeout.TotalMilliseconds;
        ShimExit? exit = ShimClient.Wait(_store.SocketOf(id), timeout, CancellationToken.None);
        while (exit is null)
        {
            exit = _store.TryLoadExit(id);
            if (exit is not null) break;
            if (Inspect(id, locked: true).Info.State == ContainerState.Exited) return _store.TryLoadExit(id) ?? new ShimExit();
            if (Environment.TickCount64 >= deadline) return null;
            Thread.Sleep(20);
        }
        return exit;
    }

    public ContainerInfo Restart(string idOrName, TimeSpan timeout)
    {
        string id = _store.Resolve(idOrName);
        using (_store.Lock(id))
        {
            StopLocked(id, timeout);
            WaitForShimToLeave(id);
        }
        return Start(id);
    }

    public ContainerInfo Pause(string idOrName)
    {
        string id = _store.Resolve(idOrName);
        using (_store.Lock(id))
        {
            Snapshot snapshot = Inspect(id, locked: true);
            if (snapshot.Info.State != ContainerState.Running)
            {
                throw new EngineException(EngineErrorKind.InvalidState, $"container {snapshot.Info.Name} is not running ({snapshot.Info.State})");
            }
            Runtime(() => _operations.Pause(id));
            return Inspect(id, locked: true).Info;
        }
    }

    public ContainerInfo Resume(string idOrName)
    {
        string id = _store.Resolve(idOrName);
        using (_store.Lock(id))
        {
            Snapshot snapshot = Inspect(id, locked: true);
            if (snapshot.Info.State != ContainerState.Paused)
            {
                throw new EngineException(EngineErrorKind.InvalidState, $"container {snapshot.Info.Name} is not paused ({snapshot.Info.State})");
            }
            Runtime(() => _operations.Resume(id));
            return Inspect(id, locked: true).Info;
        }
    }
}
