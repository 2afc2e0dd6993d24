using System.Management.Automation;
using Containers.PowerShell.Internal;

namespace Containers.PowerShell.Cmdlets;

/// <summary>Get-ContainerLog: the lines containers wrote, as ContainerLogRecord objects (Stream, Time, Line).</summary>
[Cmdlet(VerbsCommon.Get, "ContainerLog", DefaultParameterSetName = NameSet)]
[OutputType(typeof(ContainerLogRecord))]
public sealed class GetContainerLogCommand : ContainerTargetCmdlet
{
    /// <summary>Keeps streaming new lines until the container exits (or Ctrl+C).</summary>
    [Parameter]
    public SwitchParameter Follow { get; set; }

    /// <summary>Only the last N lines.</summary>
    [Parameter]
    [ValidateRange(0, int.MaxValue)]
    public int Tail { get; set; } = -1;

    /// <summary>Only lines written at or after this time.</summary>
    [Parameter]
    public DateTime Since { get; set; }

    /// <summary>Shows each line's time in the default view.</summary>
    [Parameter]
    public SwitchParameter Timestamps { get; set; }

    internal const string TimestampsTypeName = "Containers.PowerShell.ContainerLogRecord#Timestamps";

    protected override void ProcessRecord()
    {
        int? tail = Tail >= 0 ? Tail : null;
        DateTimeOffset? since = MyInvocation.BoundParameters.ContainsKey(nameof(Since)) ? new DateTimeOffset(Since) : null;
        foreach (Container c in Targets())
        {
            try
            {
                foreach (var entry in Engine.Logs(c.Id, Follow, tail, since, Cancellation))
                {
                    var record = ContainerLogRecord.From(entry, c);
                    if (Timestamps)
                    {
                        var wrapped = new PSObject(record);
                        wrapped.TypeNames.Insert(0, TimestampsTypeName);
                        WriteObject(wrapped);
                    }
                    else
                    {
                        WriteObject(record);
                    }
                }
            }
            catch (Exception ex) when (IsItemFailure(ex))
            {
                WriteError(ErrorIds.FromException(ex, c));
            }
            catch (OperationCanceledException)
            {
                throw new PipelineStoppedException();
            }
        }
    }
}
