using System.Management.Automation;
using Containers.Engine;
using Containers.PowerShell.Internal;

namespace Containers.PowerShell.Cmdlets;

/// <summary>
/// Export-ContainerImage: writes images to one archive (`docker save`): a docker-archive tar, or an OCI
/// image layout (a directory, or a tar of one when -Path ends in .tar). Every image of the pipeline goes
/// into the same archive.
/// </summary>
[Cmdlet(VerbsData.Export, "ContainerImage", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Low, DefaultParameterSetName = NameSet)]
[OutputType(typeof(FileSystemInfo))]
public sealed class ExportContainerImageCommand : ImageTargetCmdlet
{
    private readonly List<ContainerImage> _images = [];

    [Parameter(Mandatory = true, Position = 1)]
    [ValidateNotNullOrEmpty]
    public string Path { get; set; } = "";

    [Parameter]
    public ImageArchiveFormat Format { get; set; } = ImageArchiveFormat.DockerArchive;

    [Parameter]
    public SwitchParameter PassThru { get; set; }

    protected override void ProcessRecord()
    {
        foreach ((ContainerImage image, _) in Targets()) _images.Add(image);
    }

    protected override void EndProcessing()
    {
        if (_images.Count == 0) return;
        string path = ResolvePath(Path);
        string names = string.Join(", ", _images.Select(i => i.Name));
        if (!ShouldProcess(path, $"Export {names} as {Format}")) return;
        List<string> references = [.. _images.Select(i => i.Reference).Distinct()];
        if (TryInvoke(() => WithProgress("Export-ContainerImage", $"Writing {path}", null, () => { Engine.Images.Export(references, Format, path); return true; }), path, out _)
            && PassThru)
        {
            WriteObject(Directory.Exists(path) ? new DirectoryInfo(path) : new FileInfo(path));
        }
    }
}
