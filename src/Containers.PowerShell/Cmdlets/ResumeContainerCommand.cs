using System.Management.Automation;
using Containers.PowerShell.Internal;

namespace Containers.PowerShell.Cmdlets;

/// <summary>Resume-Container: thaws suspended containers.</summary>
[Cmdlet(VerbsLifecycle.Resume, "Container", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium, DefaultParameterSetName = NameSet)]
[OutputType(typeof(Container))]
public sealed class ResumeContainerCommand : ContainerTargetCmdlet
{
    [Parameter]
    public SwitchParameter PassThru { get; set; }

    protected override void ProcessRecord()
    {
        foreach (Container c in Targets())
        {
            if (!ShouldProcess(Describe(c), "Resume container")) continue;
            if (TryInvoke(() => Engine.Resume(c.Id), c, out var info) && PassThru) WriteContainer(info);
        }
    }
}
