using System.Text.Json.Serialization;

namespace Containers.Image;

/// <summary>Source-generated (AOT-safe) JSON for every document the image code reads or writes.</summary>
[JsonSourceGenerationOptions(DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(Manifest))]
[JsonSerializable(typeof(ImageIndex))]
[JsonSerializable(typeof(MediaTypeProbe))]
[JsonSerializable(typeof(ImageConfig))]
[JsonSerializable(typeof(TagIndex))]
[JsonSerializable(typeof(TokenResponse))]
[JsonSerializable(typeof(OciLayoutFile))]
[JsonSerializable(typeof(List<DockerArchiveEntry>))]
internal sealed partial class ImageJsonContext : JsonSerializerContext;

/// <summary>The store's tag index file: reference → manifest digest (and the index it came from).</summary>
internal sealed class TagIndex
{
    [JsonPropertyName("schemaVersion")] public int SchemaVersion { get; set; } = 1;
    [JsonPropertyName("images")] public Dictionary<string, TagEntry> Images { get; set; } = new(StringComparer.Ordinal);
}

internal sealed class TagEntry
{
    [JsonPropertyName("manifest")] public string Manifest { get; set; } = "";
    [JsonPropertyName("index")] public string? Index { get; set; }
    [JsonPropertyName("tagged")] public DateTimeOffset Tagged { get; set; }
}

/// <summary>A registry token endpoint's answer (Docker token spec).</summary>
internal sealed class TokenResponse
{
    [JsonPropertyName("token")] public string? Token { get; set; }
    [JsonPropertyName("access_token")] public string? AccessToken { get; set; }
    [JsonPropertyName("expires_in")] public int? ExpiresIn { get; set; }
}

/// <summary>An OCI layout's oci-layout file.</summary>
internal sealed class OciLayoutFile
{
    [JsonPropertyName("imageLayoutVersion")] public string ImageLayoutVersion { get; set; } = "1.0.0";
}

/// <summary>One image in a docker-archive's manifest.json (<c>docker save</c>).</summary>
internal sealed class DockerArchiveEntry
{
    [JsonPropertyName("Config")] public string Config { get; set; } = "";
    [JsonPropertyName("RepoTags")] public List<string>? RepoTags { get; set; }
    [JsonPropertyName("Layers")] public List<string> Layers { get; set; } = [];
}
