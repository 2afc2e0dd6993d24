using Containers.Image;

namespace Containers.PowerShell;

/// <summary>An image in the local store as the cmdlets output it: one per reference, as `docker images` lists them.</summary>
public sealed class ContainerImage
{
    /// <summary>Docker's short form of the reference: busybox:latest, 127.0.0.1:5000/busybox:1.</summary>
    public string Name { get; init; } = "";
    /// <summary>The normalized reference: docker.io/library/busybox:latest.</summary>
    public string Reference { get; init; } = "";
    /// <summary>The short form without tag or digest: busybox, 127.0.0.1:5000/busybox.</summary>
    public string Repository { get; init; } = "";
    /// <summary>The tag, or &lt;none&gt; for an image reachable by digest only.</summary>
    public string Tag { get; init; } = "";
    /// <summary>The image ID: the config digest, sha256:….</summary>
    public string Id { get; init; } = "";
    /// <summary>The manifest digest (of the index when the image was pulled from one).</summary>
    public string Digest { get; init; } = "";
    public DateTime? Created { get; init; }
    /// <summary>Config plus compressed layers, in bytes.</summary>
    public long Size { get; init; }
    /// <summary>os/arch[/variant].</summary>
    public string Platform { get; init; } = "";

    /// <summary>The first 12 hex digits of the ID, as docker shows it.</summary>
    public string ShortId => Id.StartsWith("sha256:", StringComparison.Ordinal) && Id.Length > 19 ? Id[7..19] : Id;

    public override string ToString() => Name;

    internal static ContainerImage From(ImageRecord record)
    {
        ImageReference r = record.Reference;
        string familiar = r.FamiliarString;
        string repository = r.WithoutDigest().WithTag("x").FamiliarString[..^2];
        return new ContainerImage
        {
            Name = familiar,
            Reference = r.ToString(),
            Repository = repository,
            Tag = r.Tag ?? "<none>",
            Id = record.Id.ToString(),
            Digest = (record.IndexDigest ?? record.ManifestDigest).ToString(),
            Created = record.Created?.LocalDateTime,
            Size = record.Size,
            Platform = record.Platform,
        };
    }
}
