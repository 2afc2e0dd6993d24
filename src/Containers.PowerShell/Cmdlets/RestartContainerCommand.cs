using System.Management.Automation;
using Containers.PowerShell.Internal;

namespace Containers.PowerShell.Cmdlets;

/// <summary>Restart-Container: stops (stop signal, then SIGKILL after -Timeout seconds) and starts again.</summary>
[Cmdlet(VerbsLifecycle.Restart, "Container", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium, DefaultParameterSetName = NameSet)]
[OutputType(typeof(Container))]
public sealed class RestartContainerCommand : ContainerTargetCmdlet
{
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
            if (!ShouldProcess(Describe(c), "Restart container")) continue;
            if (TryInvoke(() => WithProgress("Restart-Container", $"Restarting {c.Name}", timeout, () => Engine.Restart(c.Id, timeout)), c, out var info)
                && PassThru)
            {
                WriteContainer(info);
            }
        }
    }
}
