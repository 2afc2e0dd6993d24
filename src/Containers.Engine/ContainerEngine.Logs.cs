using System.Diagnostics;
using System.Text;
using System.Text.Json;
using Containers.Image;
using Containers.Interop;
using Containers.Runtime.Lifecycle;
using Containers.Runtime.Spec;
using RuntimeStatus = Containers.Runtime.Spec.ContainerStatus;

namespace Containers.Engine;

/// <summary>Logs and attach: container.log and its rotated files, followed while the container runs.</summary>
public sealed partial class ContainerEngine
{
    public IEnumerable<ContainerLogEntry> Logs(string idOrName, bool follow, int? tail, DateTimeOffset? since, CancellationToken cancellation)
    {
        string id = _store.Resolve(idOrName);
        if (tail is < 0) throw SpecBuilder.Invalid("Tail", "must not be negative");
        return LogsIterator(id, follow, tail, since, cancellation);
    }

    private IEnumerable<ContainerLogEntry> LogsIterator(string id, bool follow, int? tail, DateTimeOffset? since, CancellationToken cancellation)
    {
        string log = _store.LogOf(id);
        long offset = LogReader.Length(log);
        IEnumerable<ContainerLogEntry> past = LogReader.ReadAll(log, offset).Where(e => since is null || e.Time >= since);
        if (tail is { } n) past = past.TakeLast(n);
        foreach (ContainerLogEntry entry in past)
        {
            if (cancellation.IsCancellationRequested) yield break;
            yield return entry;
        }
        if (!follow) yield break;
        foreach (ContainerLogEntry entry in LogReader.Follow(log, offset, () => !IsRunning(id), cancellation))
        {
            yield return entry;
        }
    }

    private bool IsRunning(string id) => TryInspect(id)?.Info.State is ContainerState.Running or ContainerState.Paused;

    public IEnumerable<ContainerLogEntry> Attach(string idOrName, TextReader? stdin, CancellationToken cancellation)
    {
        string id = _store.Resolve(idOrName);
        Snapshot snapshot = Inspect(id);
        if (snapshot.Stored.RunSince is not { } runSince)
        {
            throw new EngineException(EngineErrorKind.InvalidState, $"container {snapshot.Info.Name} has not been started");
        }
        return AttachIterator(id, snapshot, runSince, stdin, cancellation);
    }

    // This run's output from its start (so nothing written before the caller attached is lost), then
    // what comes until the container exits; stdin goes to the shim when the container is interactive.
    private IEnumerable<ContainerLogEntry> AttachIterator(string id, Snapshot snapshot, DateTimeOffset runSince, TextReader? stdin, CancellationToken cancellation)
    {
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellation);
        Task? forwarding = stdin is not null && snapshot.Stored.Request.Interactive && snapshot.Info.State == ContainerState.Running
            ? ShimClient.ForwardStdin(_store.SocketOf(id), stdin, stop.Token)
            : null;
        try
        {
            string log = _store.LogOf(id);
            long offset = LogReader.Length(log);
            foreach (ContainerLogEntry entry in LogReader.ReadAll(log, offset).Where(e => e.Time >= runSince && e.Stream is "stdout" or "stderr"))
            {
                yield return entry;
            }
            foreach (ContainerLogEntry entry in LogReader.Follow(log, offset, () => !IsRunning(id), cancellation))
            {
                if (entry.Stream is "stdout" or "stderr") yield return entry;
            }
        }
        finally
        {
            stop.Cancel();
            _ = forwarding; // a blocked stdin read ends with its reader; the task holds nothing else
        }
    }
}
