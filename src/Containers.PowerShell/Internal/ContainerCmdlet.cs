using System.Collections.Concurrent;
using System.Management.Automation;
using Containers.Engine;
using Containers.Image;

namespace Containers.PowerShell.Internal;

/// <summary>What every cmdlet of the module shares: the engine, and per-item error handling.</summary>
public abstract class ContainerCmdlet : PSCmdlet
{
    private IContainerEngine? _engine;
    private CancellationTokenSource? _stopping;

    protected IContainerEngine Engine
    {
        get
        {
            if (_engine is null)
            {
                try
                {
                    _engine = EngineProvider.Get();
                }
                catch (Exception ex) when (ex is not RuntimeException)
                {
                    ThrowTerminatingError(new ErrorRecord(ex, ErrorIds.EngineUnavailable, ErrorCategory.ResourceUnavailable, null));
                }
            }
            return _engine!;
        }
    }

    /// <summary>Cancelled by StopProcessing (Ctrl+C, Select-Object -First): streams end at once.</summary>
    protected CancellationToken Cancellation => (_stopping ??= new CancellationTokenSource()).Token;

    protected override void StopProcessing()
    {
        try { _stopping?.Cancel(); } catch (ObjectDisposedException) { }
        base.StopProcessing();
    }

    /// <summary>Runs one item's operation; a failure becomes a non-terminating error and false.</summary>
    protected bool TryInvoke<T>(Func<T> operation, object? target, out T result)
    {
        try
        {
            result = operation();
            return true;
        }
        catch (Exception ex) when (IsItemFailure(ex))
        {
            WriteError(ErrorIds.FromException(ex, target));
            result = default!;
            return false;
        }
    }

    protected bool TryInvoke(Action operation, object? target) =>
        TryInvoke(() => { operation(); return true; }, target, out _);

    /// <summary>
    /// True for failures of the operation itself; false for PowerShell's own control flow (pipeline
    /// stopped, -ErrorAction Stop) and for cancellation, which must pass through.
    /// </summary>
    protected bool IsItemFailure(Exception ex) =>
        ex is not RuntimeException and not OperationCanceledException || (ex is OperationCanceledException && !Cancellation.IsCancellationRequested);

    /// <summary>A path as the user means it: relative to the current PowerShell location, not the process's.</summary>
    protected string ResolvePath(string path) => SessionState.Path.GetUnresolvedProviderPathFromPSPath(path);

    /// <summary>
    /// Runs a long engine call on a worker task while this thread reports progress (Write-Progress;
    /// silent under $ProgressPreference = 'SilentlyContinue'). Exceptions come back to the caller.
    /// </summary>
    protected T WithProgress<T>(string activity, string status, TimeSpan? expected, Func<T> operation)
    {
        var task = Task.Run(operation);
        var started = DateTime.UtcNow;
        int activityId = Math.Abs(activity.GetHashCode()) % 1000 + 1;
        bool shown = false;
        try
        {
            while (!((IAsyncResult)task).AsyncWaitHandle.WaitOne(TimeSpan.FromMilliseconds(200))) // not task.Wait: it wraps a failure in AggregateException
            {
                if (Cancellation.IsCancellationRequested) throw new PipelineStoppedException();
                TimeSpan elapsed = DateTime.UtcNow - started;
                var record = new ProgressRecord(activityId, activity, status)
                {
                    SecondsRemaining = expected is { } e ? Math.Max(0, (int)(e - elapsed).TotalSeconds) : -1,
                    PercentComplete = expected is { } x && x > TimeSpan.Zero ? Math.Min(99, (int)(100 * elapsed.TotalMilliseconds / x.TotalMilliseconds)) : -1,
                };
                WriteProgress(record);
                shown = true;
            }
        }
        finally
        {
            if (shown)
            {
                WriteProgress(new ProgressRecord(activityId, activity, "Done") { RecordType = ProgressRecordType.Completed });
            }
        }
        return task.GetAwaiter().GetResult();
    }

    /// <summary>
    /// Runs a pull or push on a worker task while this thread shows one parent progress record for the
    /// whole operation and a child record per blob (Write-Progress; silent under $ProgressPreference =
    /// 'SilentlyContinue'). The operation gets the callback the image code calls from its download tasks.
    /// </summary>
    protected T WithLayerProgress<T>(string activity, string status, Func<Action<LayerProgress>, T> operation)
    {
        var latest = new ConcurrentDictionary<Digest, LayerProgress>();
        var task = Task.Run(() => operation(p => latest[p.Digest] = p));
        int parentId = Math.Abs(activity.GetHashCode()) % 1000 + 1;
        var childIds = new Dictionary<Digest, int>();
        bool shown = false;

        void Report()
        {
            var blobs = latest.Values.OrderBy(b => b.Digest.ToString(), StringComparer.Ordinal).ToList();
            if (blobs.Count == 0) return;
            long total = blobs.Sum(b => b.Total);
            long done = blobs.Sum(b => Finished(b) ? b.Total : b.Done);
            WriteProgress(new ProgressRecord(parentId, activity, status) { PercentComplete = total > 0 ? (int)Math.Min(100, 100 * done / total) : -1 });
            foreach (LayerProgress blob in blobs)
            {
                if (!childIds.TryGetValue(blob.Digest, out int id)) childIds[blob.Digest] = id = parentId * 1000 + childIds.Count + 1;
                long blobDone = Finished(blob) ? blob.Total : blob.Done;
                string kind = MediaTypes.IsLayer(blob.MediaType) ? "Layer" : "Config";
                WriteProgress(new ProgressRecord(id, $"{kind} {blob.Digest.Short}", $"{blob.Status}: {DisplayFormat.Size(blobDone)} / {DisplayFormat.Size(blob.Total)}")
                {
                    ParentActivityId = parentId,
                    PercentComplete = blob.Total > 0 ? (int)Math.Min(100, 100 * blobDone / blob.Total) : -1,
                });
            }
            shown = true;
        }

        try
        {
            while (!((IAsyncResult)task).AsyncWaitHandle.WaitOne(TimeSpan.FromMilliseconds(200))) // not task.Wait: it wraps a failure in AggregateException
            {
                if (Cancellation.IsCancellationRequested) throw new PipelineStoppedException();
                Report();
            }
            Report(); // the end state, so even a pull faster than one tick shows its layers
        }
        finally
        {
            if (shown)
            {
                foreach ((Digest digest, int id) in childIds)
                {
                    WriteProgress(new ProgressRecord(id, $"Blob {digest.Short}", "Done") { ParentActivityId = parentId, RecordType = ProgressRecordType.Completed });
                }
                WriteProgress(new ProgressRecord(parentId, activity, "Done") { RecordType = ProgressRecordType.Completed });
            }
        }
        return task.GetAwaiter().GetResult();

        static bool Finished(LayerProgress p) => p.Status is LayerStatus.Done or LayerStatus.AlreadyExists or LayerStatus.Mounted;
    }

    /// <summary>A PSCredential as registry credentials (basic auth, or the login for a bearer token).</summary>
    protected static RegistryCredentials? ToRegistryCredentials(PSCredential? credential) =>
        credential is null || credential == PSCredential.Empty ? null : new RegistryCredentials(credential.UserName, credential.GetNetworkCredential().Password);

    protected void WriteContainer(ContainerInfo info) => WriteObject(Container.From(info));

    /// <summary>Writes a container's stderr line to the host the way native commands do, without an ErrorRecord.</summary>
    protected void WriteStandardError(string line) =>
        WriteInformation(new HostInformationMessage { Message = line, NoNewLine = false }, ["PSHOST", "stderr"]);
}
