using System.Text.Json;

namespace Containers.Image;

/// <summary>Options of one pull.</summary>
public sealed record PullOptions
{
    /// <summary>The platform to select from an index; <see cref="PlatformSelector.Default"/> when null.</summary>
    public Platform? Platform { get; init; }

    /// <summary>Called from several download tasks at once: one report per blob per chunk read.</summary>
    public Action<LayerProgress>? Progress { get; init; }
}

/// <summary>Pulls an image into the store: manifest (platform-selected from an index), config and layers in parallel, then the tag.</summary>
public sealed class ImagePuller(RegistryClient client, ImageStore store)
{
    public async Task<ImageRecord> PullAsync(ImageReference reference, PullOptions? options = null, CancellationToken cancellationToken = default)
    {
        options ??= new PullOptions();
        Platform platform = options.Platform ?? PlatformSelector.Default;
        ManifestResponse top = await client.GetManifestAsync(reference, reference.ManifestReference, cancellationToken).ConfigureAwait(false);
        ManifestResponse manifestResponse = top;
        Digest? indexDigest = null;
        if (MediaTypes.IsIndex(top.MediaType))
        {
            ImageIndex index = JsonSerializer.Deserialize(top.Content, ImageJsonContext.Default.ImageIndex)
                ?? throw new InvalidDataException($"{reference}: empty index");
            Descriptor chosen = PlatformSelector.Select(index.Manifests, platform)
                ?? throw new PlatformNotFoundException(reference, platform, index.Manifests.Where(m => m.Platform is not null).Select(m => m.Platform!.ToString()));
            indexDigest = top.Digest;
            manifestResponse = await client.GetManifestAsync(reference, chosen.Digest, cancellationToken).ConfigureAwait(false);
        }

        if (!MediaTypes.IsManifest(manifestResponse.MediaType))
        {
            throw new NotSupportedException($"{reference}: manifest media type \"{manifestResponse.MediaType}\" is not an image manifest (schema1 and artifacts are not supported)");
        }

        Manifest manifest = JsonSerializer.Deserialize(manifestResponse.Content, ImageJsonContext.Default.Manifest)
            ?? throw new InvalidDataException($"{reference}: empty manifest");
        var blobs = new List<Descriptor> { manifest.Config };
        blobs.AddRange(manifest.Layers);
        var distinct = blobs.DistinctBy(b => b.Digest).ToList();
        var leased = distinct.Select(b => b.ParsedDigest).Append(manifestResponse.Digest);
        if (indexDigest is { } i)
        {
            leased = leased.Append(i);
        }

        using IDisposable lease = store.Blobs.Lease(leased.ToList());
        foreach (Descriptor blob in distinct)
        {
            options.Progress?.Invoke(new LayerProgress(blob.ParsedDigest, blob.MediaType, 0, blob.Size, LayerStatus.Waiting));
        }

        using var gate = new SemaphoreSlim(Math.Max(1, client.Options.MaxParallelDownloads));
        using var failed = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var downloads = distinct.Select(async blob =>
        {
            await gate.WaitAsync(failed.Token).ConfigureAwait(false);
            try
            {
                await client.DownloadBlobAsync(reference, blob, store.Blobs, options.Progress, failed.Token).ConfigureAwait(false);
            }
            catch
            {
                await failed.CancelAsync().ConfigureAwait(false);   // stop the other downloads; their partials stay for a resume
                throw;
            }
            finally
            {
                gate.Release();
            }
        }).ToList();
        try
        {
            await Task.WhenAll(downloads).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            // Report the download that failed, not the ones cancelled because of it.
            Exception first = downloads.Where(t => t.IsFaulted).Select(t => t.Exception!.InnerException!).FirstOrDefault(e => e is not OperationCanceledException) ?? throw new InvalidOperationException("pull cancelled");
            throw first;
        }

        store.Blobs.Write(manifestResponse.Content, manifestResponse.Digest);
        if (indexDigest is { } indexD)
        {
            store.Blobs.Write(top.Content, indexD);
        }

        store.Tag(reference, manifestResponse.Digest, indexDigest);
        return store.Get(reference.ToString());
    }
}
