using System.Management.Automation;
using Containers.PowerShell.Internal;

namespace Containers.PowerShell.Cmdlets;

/// <summary>Get-ContainerProcess: the processes running in containers (like `docker top`).</summary>
[Cmdlet(VerbsCommon.Get, "ContainerProcess", DefaultParameterSetName = NameSet)]
[OutputType(typeof(ContainerProcess))]
public sealed class GetContainerProcessCommand : ContainerTargetCmdlet
{
    protected override void ProcessRecord()
    {
        foreach (Container c in Targets())
        {
            if (!TryInvoke(() => Engine.Processes(c.Id), c, out var processes)) continue;
            foreach (var p in processes) WriteObject(ContainerProcess.From(p, c));
        }
    }
}
