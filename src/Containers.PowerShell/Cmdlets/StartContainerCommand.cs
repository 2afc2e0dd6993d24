using System.Management.Automation;
using Containers.PowerShell.Internal;

namespace Containers.PowerShell.Cmdlets;

/// <summary>
/// Start-Container: starts created or exited containers and outputs them. -Wait waits for exit and
/// outputs the container with its ExitCode; -Attach streams the container's output lines while it runs.
/// </summary>
[Cmdlet(VerbsLifecycle.Start, "Container", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium, DefaultParameterSetName = NameSet)]
[OutputType(typeof(Container), typeof(string))]
public sealed class StartContainerCommand : ContainerTargetCmdlet
{
    /// <summary>Waits for the container to exit and outputs it with ExitCode.</summary>
    [Parameter]
    public SwitchParameter Wait { get; set; }

    /// <summary>Streams the container's output (stdout to the pipeline, stderr to the host) until it exits.</summary>
    [Parameter]
    public SwitchParameter Attach { get; set; }

    /// <summary>With -Attach: forwards this session's standard input to the container.</summary>
    [Parameter]
    public SwitchParameter Interactive { get; set; }

    protected override void BeginProcessing()
    {
        if (Interactive && !Attach)
        {
            ThrowTerminatingError(ErrorIds.BadArgument(nameof(Interactive), "-Interactive needs -Attach.", null));
        }
    }

    protected override void ProcessRecord()
    {
        foreach (Container c in Targets())
        {
            if (!ShouldProcess(Describe(c), "Start container")) continue;
            if (!TryInvoke(() => Engine.Start(c.Id), c, out var started)) continue;
            if (Attach)
            {
                StreamOutput(c);
                if (Wait) WaitAndWrite(c);
            }
            else if (Wait)
            {
                WaitAndWrite(c);
            }
            else
            {
                WriteContainer(started);
            }
        }
    }

    private void StreamOutput(Container c)
    {
        TextReader? stdin = Interactive ? Console.In : null;
        try
        {
            foreach (var entry in Engine.Attach(c.Id, stdin, Cancellation))
            {
                if (entry.Stream == "stderr") WriteStandardError(entry.Line);
                else WriteObject(entry.Line);
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

    private void WaitAndWrite(Container c)
    {
        try
        {
            if (Engine.Wait(c.Id, null, Cancellation) is { } exited) WriteContainer(exited);
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
