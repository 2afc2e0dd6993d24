using System.Management.Automation;
using Containers.PowerShell.Internal;

namespace Containers.PowerShell.Cmdlets;

/// <summary>Get-ContainerImage: lists the images of the local store (`docker images`).</summary>
[Cmdlet(VerbsCommon.Get, "ContainerImage", DefaultParameterSetName = NameSet)]
[OutputType(typeof(ContainerImage))]
public sealed class GetContainerImageCommand : ContainerCmdlet
{
    private const string NameSet = "Name";
    private const string IdSet = "Id";

    /// <summary>References (busybox, busybox:1.36, 127.0.0.1:5000/busybox:1); wildcards match the short or the full form.</summary>
    [Parameter(Position = 0, ParameterSetName = NameSet, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [Alias("ImageName", "Image")]
    [ValidateNotNullOrEmpty]
    [SupportsWildcards]
    [ArgumentCompleter(typeof(ImageNameCompleter))]
    public string[]? Name { get; set; }

    /// <summary>Image IDs (sha256:…) or unique prefixes.</summary>
    [Parameter(Mandatory = true, ParameterSetName = IdSet, ValueFromPipelineByPropertyName = true)]
    [Alias("ImageId")]
    [ValidateNotNullOrEmpty]
    public string[]? Id { get; set; }

    protected override void ProcessRecord()
    {
        if (ParameterSetName == IdSet)
        {
            foreach (string id in Id!)
            {
                if (!TryInvoke(() => Engine.Images.Find(id), id, out var record)) continue;
                if (record is null) WriteError(ErrorIds.ImageNotFoundError(id, id));
                else WriteObject(ContainerImage.From(record));
            }
            return;
        }

        if (!TryInvoke(() => Engine.Images.List(), null, out var all)) return;
        var images = all.Select(ContainerImage.From).OrderBy(i => i.Name, StringComparer.Ordinal).ToList();
        if (Name is null)
        {
            WriteObject(images, enumerateCollection: true);
            return;
        }
        foreach (string name in Name)
        {
            if (WildcardPattern.ContainsWildcardCharacters(name))
            {
                var pattern = new WildcardPattern(name, WildcardOptions.IgnoreCase);
                WriteObject(images.Where(i => pattern.IsMatch(i.Name) || pattern.IsMatch(i.Reference)), enumerateCollection: true);
                continue;
            }
            if (!TryInvoke(() => Engine.Images.Find(name), name, out var record)) continue;
            if (record is null) WriteError(ErrorIds.ImageNotFoundError(name, name));
            else WriteObject(ContainerImage.From(record));
        }
    }
}
