using System.Management.Automation;

namespace Containers.PowerShell.Internal;

/// <summary>
/// A cmdlet that acts on images of the local store, chosen by -Name (a reference such as busybox or
/// 127.0.0.1:5000/busybox:1; wildcards allowed), -Id (the image ID or a unique prefix) or ContainerImage
/// objects from the pipeline.
/// </summary>
public abstract class ImageTargetCmdlet : ContainerCmdlet
{
    protected const string NameSet = "Name";
    protected const string IdSet = "Id";
    protected const string InputObjectSet = "InputObject";

    [Parameter(Mandatory = true, Position = 0, ParameterSetName = NameSet, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [Alias("ImageName", "Image")]
    [ValidateNotNullOrEmpty]
    [SupportsWildcards]
    [ArgumentCompleter(typeof(ImageNameCompleter))]
    public string[] Name { get; set; } = [];

    [Parameter(Mandatory = true, ParameterSetName = IdSet, ValueFromPipelineByPropertyName = true)]
    [Alias("ImageId")]
    [ValidateNotNullOrEmpty]
    public string[] Id { get; set; } = [];

    [Parameter(Mandatory = true, ParameterSetName = InputObjectSet, ValueFromPipeline = true)]
    [ValidateNotNull]
    public ContainerImage[] InputObject { get; set; } = [];

    /// <summary>
    /// The images this call names, each with the key the operation takes: the full reference for a name or
    /// an object (a removal untags only that reference), the ID text for -Id (a removal removes every tag).
    /// A name or ID that matches nothing is a non-terminating ImageNotFound.
    /// </summary>
    protected IEnumerable<(ContainerImage Image, string Key)> Targets()
    {
        switch (ParameterSetName)
        {
            case InputObjectSet:
                foreach (ContainerImage image in InputObject) yield return (image, image.Reference);
                break;
            case IdSet:
                foreach (string id in Id)
                {
                    if (!TryInvoke(() => Engine.Images.Find(id), id, out var record)) continue;
                    if (record is null) WriteError(ErrorIds.ImageNotFoundError(id, id));
                    else yield return (ContainerImage.From(record), id);
                }
                break;
            default:
                foreach (string name in Name)
                {
                    if (WildcardPattern.ContainsWildcardCharacters(name))
                    {
                        var pattern = new WildcardPattern(name, WildcardOptions.IgnoreCase);
                        if (!TryInvoke(() => Engine.Images.List(), name, out var all)) continue;
                        foreach (ContainerImage image in all.Select(ContainerImage.From).Where(i => pattern.IsMatch(i.Name) || pattern.IsMatch(i.Reference)).OrderBy(i => i.Name, StringComparer.Ordinal))
                        {
                            yield return (image, image.Reference);
                        }
                        continue;
                    }
                    if (!TryInvoke(() => Engine.Images.Find(name), name, out var record)) continue;
                    if (record is null) WriteError(ErrorIds.ImageNotFoundError(name, name));
                    else yield return (ContainerImage.From(record), record.Reference.ToString());
                }
                break;
        }
    }

    /// <summary>How ShouldProcess and errors name an image: "busybox:latest (3f2a1b9c0d1e)".</summary>
    protected static string Describe(ContainerImage image) => $"{image.Name} ({image.ShortId})";
}
