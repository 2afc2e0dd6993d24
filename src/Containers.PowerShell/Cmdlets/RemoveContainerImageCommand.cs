using System.Management.Automation;
using Containers.PowerShell.Internal;

namespace Containers.PowerShell.Cmdlets;

/// <summary>
/// Remove-ContainerImage: untags images by reference, or removes an image with all its tags by -Id, then
/// deletes the blobs and unpacked layers nothing uses any more (`docker rmi`). An image a container uses
/// is refused (ImageInUse) unless -Force, which untags it and keeps its content for that container.
/// </summary>
[Cmdlet(VerbsCommon.Remove, "ContainerImage", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium, DefaultParameterSetName = NameSet)]
[OutputType(typeof(void))]
public sealed class RemoveContainerImageCommand : ImageTargetCmdlet
{
    [Parameter]
    public SwitchParameter Force { get; set; }

    protected override void ProcessRecord()
    {
        foreach ((ContainerImage image, string key) in Targets())
        {
            if (!ShouldProcess(Describe(image), Force ? "Remove image (even if a container uses it)" : "Remove image")) continue;
            if (TryInvoke(() => Engine.Images.Remove(key, Force), image, out var removed))
            {
                foreach (string reference in removed) WriteVerbose($"Untagged {reference}");
            }
        }
    }
}
