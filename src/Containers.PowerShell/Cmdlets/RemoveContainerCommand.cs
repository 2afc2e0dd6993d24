using System.Management.Automation;
using Containers.PowerShell.Internal;

namespace Containers.PowerShell.Cmdlets;

/// <summary>
/// Remove-Container: removes containers with their state, cgroups, mounts and logs. A running
/// container is refused (ContainerInvalidState) unless -Force, which stops it first. -Force skips
/// nothing else: -WhatIf and -Confirm still apply.
/// </summary>
[Cmdlet(VerbsCommon.Remove, "Container", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium, DefaultParameterSetName = NameSet)]
[OutputType(typeof(void))]
public sealed class RemoveContainerCommand : ContainerTargetCmdlet
{
    [Parameter]
    public SwitchParameter Force { get; set; }

    protected override void ProcessRecord()
    {
        foreach (Container c in Targets())
        {
            if (!ShouldProcess(Describe(c), Force ? "Remove container (stopping it first)" : "Remove container")) continue;
            bool mayTakeLong = Force && c.State is ContainerState.Running or ContainerState.Paused;
            TryInvoke(() => mayTakeLong
                ? WithProgress("Remove-Container", $"Stopping and removing {c.Name}", TimeSpan.FromSeconds(10), () => { Engine.Remove(c.Id, true); return true; })
                : RemoveNow(c), c, out _);
        }
    }

    private bool RemoveNow(Container c)
    {
        Engine.Remove(c.Id, Force);
        return true;
    }
}
