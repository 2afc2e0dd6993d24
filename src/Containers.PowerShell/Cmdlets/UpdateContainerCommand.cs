using System.Management.Automation;
using Containers.Engine;
using Containers.PowerShell.Internal;

namespace Containers.PowerShell.Cmdlets;

/// <summary>Update-Container: changes the resource limits of containers, live.</summary>
[Cmdlet(VerbsData.Update, "Container", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium, DefaultParameterSetName = NameSet)]
[OutputType(typeof(Container))]
public sealed class UpdateContainerCommand : ContainerTargetCmdlet
{
    [Parameter]
    [ValidateRange(1, long.MaxValue)]
    public long Memory { get; set; }

    [Parameter]
    [ValidateRange(-1, long.MaxValue)]
    public long MemorySwap { get; set; }

    [Parameter]
    [ValidateRange(ResourceLimitRules.MinCpus, ResourceLimitRules.MaxCpus)]
    public double Cpus { get; set; }

    [Parameter]
    [ValidateRange(ResourceLimitRules.MinCpuShares, ResourceLimitRules.MaxCpuShares)]
    public ulong CpuShares { get; set; }

    [Parameter]
    [ValidatePattern(ResourceLimitRules.CpusetPattern)]
    public string? CpusetCpus { get; set; }

    [Parameter]
    [ValidateRange(-1, long.MaxValue)]
    public long PidsLimit { get; set; }

    [Parameter]
    public SwitchParameter PassThru { get; set; }

    private ResourceUpdate _update = new();

    protected override void BeginProcessing()
    {
        var bound = MyInvocation.BoundParameters;
        _update = new ResourceUpdate
        {
            Memory = bound.ContainsKey(nameof(Memory)) ? Memory : null,
            MemorySwap = bound.ContainsKey(nameof(MemorySwap)) ? MemorySwap : null,
            Cpus = bound.ContainsKey(nameof(Cpus)) ? Cpus : null,
            CpuShares = bound.ContainsKey(nameof(CpuShares)) ? CpuShares : null,
            CpusetCpus = CpusetCpus,
            PidsLimit = bound.ContainsKey(nameof(PidsLimit)) ? PidsLimit : null,
        };
        if (_update == new ResourceUpdate())
        {
            ThrowTerminatingError(ErrorIds.BadArgument("Memory",
                "give at least one limit to change (-Memory, -MemorySwap, -Cpus, -CpuShares, -CpusetCpus, -PidsLimit).", null));
        }
    }

    protected override void ProcessRecord()
    {
        foreach (Container c in Targets())
        {
            if (!ShouldProcess(Describe(c), "Update container limits")) continue;
            if (TryInvoke(() => Engine.Update(c.Id, _update), c, out var info) && PassThru) WriteContainer(info);
        }
    }
}
