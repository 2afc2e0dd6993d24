using System.Management.Automation;
using Containers.PowerShell.Internal;

namespace Containers.PowerShell.Cmdlets;

/// <summary>Export-Container: writes a container's whole filesystem as a tar (`docker export`).</summary>
[Cmdlet(VerbsData.Export, "Container", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Low, DefaultParameterSetName = NameSet)]
[OutputType(typeof(FileInfo))]
public sealed class ExportContainerCommand : ContainerTargetCmdlet
{
    private bool _written;

    /// <summary>The tar file to write (replaced if it exists).</summary>
    [Parameter(Mandatory = true, Position = 1)]
    [ValidateNotNullOrEmpty]
    public string Path { get; set; } = "";

    [Parameter]
    public SwitchParameter PassThru { get; set; }

    protected override void ProcessRecord()
    {
        string path = ResolvePath(Path);
        foreach (Container c in Targets())
        {
            if (_written)
            {
                WriteError(ErrorIds.BadArgument(nameof(Path), $"'{path}' already holds another container's export: give one container per -Path.", c));
                continue;
            }
            if (!ShouldProcess(Describe(c), $"Export filesystem to {path}")) continue;
            if (TryInvoke(() => WithProgress("Export-Container", $"Writing {path}", null, () => { Engine.ExportFilesystem(c.Id, path); return true; }), c, out _))
            {
                _written = true;
                if (PassThru) WriteObject(new FileInfo(path));
            }
        }
    }
}
