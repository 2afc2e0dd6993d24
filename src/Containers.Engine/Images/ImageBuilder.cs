using System.IO.Compression;
using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Serialization;
using Containers.Image;

namespace Containers.Engine;

/// <summary>
/// Makes images in the store from layer tarballs: a rootfs tarball as a one-layer image (import), or a
/// container's changes as a new layer over its image's layers (commit). Layers are stored gzip-compressed;
/// the config's diff_id is the digest of the uncompressed tar.
/// </summary>
internal static class ImageBuilder
{
    /// <summary>A one-layer image from a rootfs tarball (plain, gzip or zstd).</summary>
    public static ImageRecord FromRootfsTar(ImageStore store, string tarPath, ImageReference reference, ContainerConfig config, string comment)
    {
        using FileStream file = File.OpenRead(tarPath);
        using Stream tar = LayerDecompression.Open(file);
        return Build(store, null, tar, reference, config, null, comment);
    }

    /// <summary>
    /// An image of <paramref name="parent"/>'s layers (none when null) plus the uncompressed tar
    /// <paramref name="layerTar"/>, with <paramref name="config"/> as its execution defaults.
    /// </summary>
    public static ImageRecord Build(ImageStore store, ImageRecord? parent, Stream layerTar, ImageReference reference, ContainerConfig config, string? author, string comment)
    {
        Directory.CreateDirectory(store.Root);
        Manifest? parentManifest = parent is null ? null : store.ReadManifest(parent.ManifestDigest);
        ImageConfig? parentConfig = parent is null ? null : store.ReadConfig(parent.Id);
        (Descriptor layer, Digest diffId) = StoreLayer(store, layerTar);
        using IDisposable lease = store.Blobs.Lease([layer.ParsedDigest]);

        Platform platform = PlatformSelector.Default;
        DateTimeOffset now = DateTimeOffset.UtcNow;
        var imageConfig = new ImageConfig
        {
            Created = now,
            Author = author,
            Architecture = parentConfig?.Architecture ?? platform.Architecture,
            OS = parentConfig?.OS ?? platform.OS,
            Variant = parentConfig?.Variant ?? platform.Variant,
            Config = config,
            RootFs = new RootFs { DiffIds = [.. parentConfig?.RootFs.DiffIds ?? [], diffId.ToString()] },
            History = [.. parentConfig?.History ?? [], new HistoryEntry { Created = now, CreatedBy = "containers-ps", Author = author, Comment = comment }],
        };
        byte[] configBytes = JsonSerializer.SerializeToUtf8Bytes(imageConfig, EngineImageJsonContext.Default.ImageConfig);
        Digest configDigest = store.Blobs.Write(configBytes);
        var manifest = new Manifest
        {
            MediaType = MediaTypes.OciManifest,
            Config = new Descriptor { MediaType = MediaTypes.OciConfig, Digest = configDigest.ToString(), Size = configBytes.Length },
            Layers = [.. parentManifest?.Layers ?? [], layer],
        };
        byte[] manifestBytes = JsonSerializer.SerializeToUtf8Bytes(manifest, EngineImageJsonContext.Default.Manifest);
        Digest manifestDigest = store.Blobs.Write(manifestBytes);
        store.Tag(reference, manifestDigest);
        return store.Get(reference.ToString());
    }

    /// <summary>Gzips the tar into the blob store while hashing the uncompressed bytes (the diff_id).</summary>
    private static (Descriptor Layer, Digest DiffId) StoreLayer(ImageStore store, Stream tar)
    {
        string temp = Path.Join(store.Blobs.IngestDirectory, $"layer-{Guid.NewGuid():N}.tar.gz");
        Directory.CreateDirectory(store.Blobs.IngestDirectory);
        try
        {
            using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
            using (FileStream output = File.Create(temp))
            using (var gzip = new GZipStream(output, CompressionLevel.Fastest))
            {
                byte[] buffer = new byte[1 << 16];
                int n;
                while ((n = tar.Read(buffer, 0, buffer.Length)) > 0)
                {
                    hash.AppendData(buffer, 0, n);
                    gzip.Write(buffer, 0, n);
                }
            }

            Digest diffId = Digest.FromSha256Hash(hash.GetHashAndReset());
            long size = new FileInfo(temp).Length;
            Digest digest;
            using (FileStream compressed = File.OpenRead(temp))
            {
                digest = store.Blobs.WriteAsync(compressed).GetAwaiter().GetResult();
            }

            return (new Descriptor { MediaType = MediaTypes.OciLayerGzip, Digest = digest.ToString(), Size = size }, diffId);
        }
        finally
        {
            File.Delete(temp);
        }
    }
}

[JsonSourceGenerationOptions(DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(Manifest))]
[JsonSerializable(typeof(ImageConfig))]
internal sealed partial class EngineImageJsonContext : JsonSerializerContext;
