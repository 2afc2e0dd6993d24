using System.Management.Automation;
using Containers.PowerShell.Internal;

namespace Containers.PowerShell.Cmdlets;

/// <summary>Wait-Container: waits until containers exit and outputs them with ExitCode.</summary>
[Cmdlet(VerbsLifecycle.Wait, "Container", DefaultParameterSetName = NameSet)]
[OutputType(typeof(Container))]
public sealed class WaitContainerCommand : ContainerTargetCmdlet
{
    /// <summary>Seconds to wait for each container; past it a WaitTimeout error is written. Default: no limit.</summary>
    [Parameter]
    [ValidateRange(0, int.MaxValue)]
    public int Timeout { get; set; } = -1;

    protected override void ProcessRecord()
    {
        TimeSpan? timeout = Timeout >= 0 ? TimeSpan.FromSeconds(Timeout) : null;
        foreach (Container c in Targets())
        {
            global::Containers.Engine.ContainerInfo? exited;
            try
            {
                exited = Engine.Wait(c.Id, timeout, Cancellation);
            }
            catch (Exception ex) when (IsItemFailure(ex))
            {
                WriteError(ErrorIds.FromException(ex, c));
                continue;
            }
            catch (OperationCanceledException)
            {
                throw new PipelineStoppedException();
            }
            if (exited is null)
            {
                WriteError(new ErrorRecord(new TimeoutException($"{Describe(c)} did not exit within {Timeout} s."),
                    ErrorIds.WaitTimeout, ErrorCategory.OperationTimeout, c));
            }
            else
            {
                WriteContainer(exited);
            }
        }
    }
}
