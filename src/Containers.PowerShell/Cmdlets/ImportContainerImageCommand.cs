using System.Management.Automation;
using Containers.PowerShell.Internal;

namespace Containers.PowerShell.Cmdlets;

/// <summary>
/// Import-ContainerImage: loads images from a docker-archive (`docker save`), an OCI image layout
/// (directory or tar), or makes a one-layer image from a plain rootfs tarball (`docker import`, which
/// needs -Reference).
/// </summary>
[Cmdlet(VerbsData.Import, "ContainerImage", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Low)]
[OutputType(typeof(ContainerImage))]
public sealed class ImportContainerImageCommand : ContainerCmdlet
{
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [Alias("FullName", "LiteralPath", "PSPath")]
    [ValidateNotNullOrEmpty]
    public string[] Path { get; set; } = [];

    /// <summary>Tags the imported image: required for a rootfs tarball, optional for an archive of one image.</summary>
    [Parameter(Position = 1)]
    [Alias("Tag")]
    [ValidateNotNullOrEmpty]
    public string? Reference { get; set; }

    protected override void ProcessRecord()
    {
        foreach (string given in Path)
        {
            string path = ResolvePath(given);
            if (!File.Exists(path) && !Directory.Exists(path))
            {
                WriteError(new ErrorRecord(new FileNotFoundException($"Cannot find '{path}'.", path), ErrorIds.InvalidArgument, ErrorCategory.ObjectNotFound, given));
                continue;
            }
            if (!ShouldProcess(path, Reference is null ? "Import image" : $"Import image as {Reference}")) continue;
            if (TryInvoke(() => WithProgress("Import-ContainerImage", $"Importing {path}", null, () => Engine.Images.Import(path, Reference, Cancellation)), given, out var records))
            {
                foreach (var record in records) WriteObject(ContainerImage.From(record));
            }
        }
    }
}
