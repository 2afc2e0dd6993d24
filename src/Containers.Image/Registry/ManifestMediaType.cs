using System.Text.Json;

namespace Containers.Image;

/// <summary>Tells an index from a manifest by its content when the Content-Type does not say.</summary>
internal static class ManifestMediaType
{
    public static string Sniff(byte[] content)
    {
        MediaTypeProbe? probe;
        try
        {
            probe = JsonSerializer.Deserialize(content, ImageJsonContext.Default.MediaTypeProbe);
        }
        catch (JsonException)
        {
            return "application/octet-stream";
        }

        if (!string.IsNullOrEmpty(probe?.MediaType))
        {
            return probe.MediaType;
        }

        return probe?.Manifests is not null ? MediaTypes.OciIndex : MediaTypes.OciManifest;
    }
}
