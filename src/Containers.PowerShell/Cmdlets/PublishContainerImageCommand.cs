using System.Management.Automation;
using Containers.Engine;
using Containers.PowerShell.Internal;

namespace Containers.PowerShell.Cmdlets;

/// <summary>
/// Publish-ContainerImage: pushes stored images to a registry (`docker push`), as Publish-Module pushes to
/// a repository. -Destination pushes under another reference (`docker tag` + `docker push` in one step).
/// </summary>
[Cmdlet(VerbsData.Publish, "ContainerImage", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium, DefaultParameterSetName = NameSet)]
[OutputType(typeof(ContainerImage))]
public sealed class PublishContainerImageCommand : ImageTargetCmdlet
{
    /// <summary>The reference to push to: 127.0.0.1:5000/busybox:1. Defaults to the image's own reference.</summary>
    [Parameter(Position = 1)]
    [ValidateNotNullOrEmpty]
    public string? Destination { get; set; }

    [Parameter]
    [Credential]
    public PSCredential? Credential { get; set; }

    [Parameter]
    [Alias("Insecure")]
    public SwitchParameter AllowInsecureRegistry { get; set; }

    [Parameter]
    public SwitchParameter PassThru { get; set; }

    protected override void ProcessRecord()
    {
        var access = new RegistryAccess { Credentials = ToRegistryCredentials(Credential), Insecure = AllowInsecureRegistry };
        foreach ((ContainerImage image, string key) in Targets())
        {
            string destination = Destination ?? image.Reference;
            if (!ShouldProcess($"{Describe(image)} to {destination}", "Push image")) continue;
            if (TryInvoke(() => WithLayerProgress("Publish-ContainerImage", $"Pushing {destination}",
                    progress => Engine.Images.Push(key, Destination, access, progress, Cancellation)), image, out var digest))
            {
                WriteVerbose($"Pushed {image.Name} to {destination}: {digest}");
                if (PassThru) WriteObject(image);
            }
        }
    }
}
