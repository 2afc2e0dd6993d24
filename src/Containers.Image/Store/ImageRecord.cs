namespace Containers.Image;

/// <summary>One tagged (or digest-referenced) image in the store, as Get-ContainerImage lists it.</summary>
/// <param name="Reference">The normalized reference, e.g. <c>docker.io/library/busybox:latest</c>.</param>
/// <param name="Id">The config digest: Docker's image ID.</param>
/// <param name="ManifestDigest">The platform manifest the reference resolves to.</param>
/// <param name="IndexDigest">The index or manifest list it was selected from, if any (the repo digest).</param>
/// <param name="Size">Config plus compressed layers, in bytes.</param>
public sealed record ImageRecord(
    ImageReference Reference,
    Digest Id,
    Digest ManifestDigest,
    Digest? IndexDigest,
    long Size,
    DateTimeOffset? Created,
    string Platform);
