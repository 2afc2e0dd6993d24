using System.Management.Automation;
using Containers.Engine;

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
            while (!task.Wait(TimeSpan.FromMilliseconds(200)))
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

    protected void WriteContainer(ContainerInfo info) => WriteObject(Container.From(info));

    /// <summary>Writes a container's stderr line to the host the way native commands do, without an ErrorRecord.</summary>
    protected void WriteStandardError(string line) =>
        WriteInformation(new HostInformationMessage { Message = line, NoNewLine = false }, ["PSHOST", "stderr"]);
}
