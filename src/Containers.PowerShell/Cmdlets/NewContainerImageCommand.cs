using System.Management.Automation;
using Containers.Engine;
using Containers.PowerShell.Internal;

namespace Containers.PowerShell.Cmdlets;

/// <summary>
/// New-ContainerImage: makes an image from a container (`docker commit`): the changes of a container made
/// from an image become one new layer over that image's layers; a rootfs container becomes a one-layer
/// image. The container's command, entrypoint, environment, working directory and user become the
/// image's defaults.
/// </summary>
[Cmdlet(VerbsCommon.New, "ContainerImage", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Low, DefaultParameterSetName = ContainerSet)]
[OutputType(typeof(ContainerImage))]
public sealed class NewContainerImageCommand : ContainerCmdlet
{
    private const string ContainerSet = "Container";
    private const string InputObjectSet = "InputObject";

    /// <summary>The container: its name, id or a unique id prefix.</summary>
    [Parameter(Mandatory = true, Position = 0, ParameterSetName = ContainerSet, ValueFromPipeline = true)]
    [Alias("ContainerName", "ContainerId")]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(ContainerNameCompleter))]
    public string Container { get; set; } = "";

    [Parameter(Mandatory = true, ParameterSetName = InputObjectSet, ValueFromPipeline = true)]
    [ValidateNotNull]
    public Container? InputObject { get; set; }

    /// <summary>The reference to tag the new image with: myimage:1, 127.0.0.1:5000/tools:latest.</summary>
    [Parameter(Mandatory = true, Position = 1)]
    [Alias("Tag")]
    [ValidateNotNullOrEmpty]
    public string Reference { get; set; } = "";

    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? Author { get; set; }

    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? Message { get; set; }

    protected override void ProcessRecord()
    {
        string target = InputObject?.Id ?? Container;
        string shown = InputObject is { } c ? $"{c.Name} ({c.ShortId})" : Container;
        if (!ShouldProcess(shown, $"Create image {Reference}")) return;
        var request = new CommitRequest { Reference = Reference, Author = Author, Message = Message };
        if (TryInvoke(() => WithProgress("New-ContainerImage", $"Committing {shown} as {Reference}", null, () => Engine.Commit(target, request)), (object?)InputObject ?? Container, out var record))
        {
            WriteObject(ContainerImage.From(record));
        }
    }
}
