namespace Containers.Image;

/// <summary>Pushes a stored image: every blob (skipped if present, mounted if possible), then the manifest under the tag.</summary>
public sealed class ImagePusher(RegistryClient client, ImageStore store)
{
    /// <summary>Pushes the image <paramref name="source"/> names (reference or ID) to <paramref name="destination"/>; returns the manifest digest.</summary>
    public async Task<Digest> PushAsync(string source, ImageReference destination, Action<LayerProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ImageRecord image = store.Get(source);
        Manifest manifest = store.ReadManifest(image.ManifestDigest);
        string? mountFrom = image.Reference.Domain == destination.Domain && image.Reference.Path != destination.Path ? image.Reference.Path : null;
        var blobs = manifest.Layers.Append(manifest.Config).DistinctBy(b => b.Digest).ToList();
        using var gate = new SemaphoreSlim(Math.Max(1, client.Options.MaxParallelDownloads));
        await Task.WhenAll(blobs.Select(async blob =>
        {
            await gate.WaitAsync(cancellationToken).ConfigureAwait(false);
            try
            {
                Digest digest = blob.ParsedDigest;
                await client.PushBlobAsync(destination, digest, blob.Size, () => store.Blobs.OpenRead(digest), mountFrom, progress, blob.MediaType, cancellationToken).ConfigureAwait(false);
            }
            finally
            {
                gate.Release();
            }
        })).ConfigureAwait(false);

        byte[] manifestBytes = store.Blobs.ReadAllBytes(image.ManifestDigest);
        string mediaType = manifest.MediaType ?? MediaTypes.OciManifest;
        return await client.PutManifestAsync(destination, destination.Tag ?? destination.ManifestReference, manifestBytes, mediaType, cancellationToken).ConfigureAwait(false);
    }
}
