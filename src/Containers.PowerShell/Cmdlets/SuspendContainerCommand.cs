using System.Management.Automation;
using Containers.PowerShell.Internal;

namespace Containers.PowerShell.Cmdlets;

/// <summary>Suspend-Container: freezes every process of running containers (the cgroup freezer).</summary>
[Cmdlet(VerbsLifecycle.Suspend, "Container", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium, DefaultParameterSetName = NameSet)]
[OutputType(typeof(Container))]
public sealed class SuspendContainerCommand : ContainerTargetCmdlet
{
    [Parameter]
    public SwitchParameter PassThru { get; set; }

    protected override void ProcessRecord()
    {
        foreach (Container c in Targets())
        {
            if (!ShouldProcess(Describe(c), "Suspend container")) continue;
            if (TryInvoke(() => Engine.Pause(c.Id), c, out var info) && PassThru) WriteContainer(info);
        }
    }
}
