using System.Management.Automation;
using Containers.Engine;
using Containers.PowerShell.Internal;

namespace Containers.PowerShell.Cmdlets;

/// <summary>
/// Install-ContainerImage: pulls images from their registries into the local store (`docker pull`). The
/// verb is PowerShell's for "from a repository into the local store", as Install-Module/Install-PSResource.
/// </summary>
[Cmdlet(VerbsLifecycle.Install, "ContainerImage", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Low)]
[OutputType(typeof(ContainerImage))]
public sealed class InstallContainerImageCommand : ContainerCmdlet
{
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [Alias("Reference", "ImageName", "Image")]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(ImageNameCompleter))]
    public string[] Name { get; set; } = [];

    /// <summary>User name and password for the registry: basic auth, or the login for a bearer token.</summary>
    [Parameter]
    [Credential]
    public PSCredential? Credential { get; set; }

    /// <summary>os/arch[/variant] to choose from a multi-platform image: linux/arm64/v8.</summary>
    [Parameter]
    [ValidatePattern(@"^[a-z0-9_.-]+(/[a-z0-9_.-]+){0,2}$")]
    public string? Platform { get; set; }

    /// <summary>Plain HTTP to the registry (loopback registries always are reached this way).</summary>
    [Parameter]
    [Alias("Insecure")]
    public SwitchParameter AllowInsecureRegistry { get; set; }

    protected override void ProcessRecord()
    {
        var access = new RegistryAccess { Credentials = ToRegistryCredentials(Credential), Insecure = AllowInsecureRegistry, Platform = Platform };
        foreach (string name in Name)
        {
            if (!ShouldProcess(name, "Pull image")) continue;
            if (TryInvoke(() => WithLayerProgress("Install-ContainerImage", $"Pulling {name}",
                    progress => Engine.Images.Pull(name, access, progress, Cancellation)), name, out var record))
            {
                WriteObject(ContainerImage.From(record));
            }
        }
    }
}
