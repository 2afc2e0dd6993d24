using System.Management.Automation;
using Containers.PowerShell.Internal;

namespace Containers.PowerShell.Cmdlets;

/// <summary>Stop-Container: sends the stop signal, then SIGKILL after -Timeout seconds.</summary>
[Cmdlet(VerbsLifecycle.Stop, "Container", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium, DefaultParameterSetName = NameSet)]
[OutputType(typeof(Container))]
public sealed class StopContainerCommand : ContainerTargetCmdlet
{
    /// <summary>Seconds to wait after the stop signal before SIGKILL.</summary>
    [Parameter]
    [ValidateRange(0, int.MaxValue)]
    public int Timeout { get; set; } = 10;

    [Parameter]
    public SwitchParameter PassThru { get; set; }

    protected override void ProcessRecord()
    {
        var timeout = TimeSpan.FromSeconds(Timeout);
        foreach (Container c in Targets())
        {
            if (!ShouldProcess(Describe(c), "Stop container")) continue;
            if (TryInvoke(() => WithProgress("Stop-Container", $"Stopping {c.Name}", timeout, () => Engine.Stop(c.Id, timeout)), c, out var info)
                && PassThru)
            {
                WriteContainer(info);
            }
        }
    }
}
