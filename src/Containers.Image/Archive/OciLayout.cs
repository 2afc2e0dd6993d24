using System.Formats.Tar;
using System.Text.Json;

namespace Containers.Image;

/// <summary>OCI image layout (a directory, or a tar of one): <c>oci-layout</c>, <c>index.json</c>, <c>blobs/sha256/…</c>.</summary>
public static class OciLayout
{
    public const string RefNameAnnotation = "org.opencontainers.image.ref.name";
    public const string ContainerdNameAnnotation = "io.containerd.image.name";

    /// <summary>
    /// Writes the images into an OCI layout directory (created or added to). Each index entry carries the
    /// tag as <c>org.opencontainers.image.ref.name</c> (what skopeo's <c>oci:DIR:TAG</c> selects) and the full
    /// reference as <c>io.containerd.image.name</c>.
    /// </summary>
    public static void ExportDirectory(ImageStore store, IEnumerable<string> images, string directory)
    {
        string blobs = Path.Combine(directory, "blobs", "sha256");
        Directory.CreateDirectory(blobs);
        File.WriteAllBytes(Path.Combine(directory, "oci-layout"), JsonSerializer.SerializeToUtf8Bytes(new OciLayoutFile(), ImageJsonContext.Default.OciLayoutFile));
        string indexPath = Path.Combine(directory, "index.json");
        ImageIndex index = File.Exists(indexPath)
            ? JsonSerializer.Deserialize(File.ReadAllBytes(indexPath), ImageJsonContext.Default.ImageIndex) ?? new ImageIndex()
            : new ImageIndex { MediaType = MediaTypes.OciIndex };
        foreach (string name in images)
        {
            ImageRecord image = store.Get(name);
            foreach (Digest digest in BlobsOf(store, image))
            {
                string target = Path.Combine(blobs, digest.Hex);
                if (!File.Exists(target))
                {
                    using Stream source = store.Blobs.OpenRead(digest);
                    using FileStream file = File.Create(target);
                    source.CopyTo(file);
                }
            }

            Manifest manifest = store.ReadManifest(image.ManifestDigest);
            var annotations = new Dictionary<string, string> { [ContainerdNameAnnotation] = image.Reference.ToString() };
            if (image.Reference.Tag is { } tag)
            {
                annotations[RefNameAnnotation] = tag;
            }

            index.Manifests.RemoveAll(m => m.Annotations?.GetValueOrDefault(ContainerdNameAnnotation) == image.Reference.ToString());
            index.Manifests.Add(new Descriptor
            {
                MediaType = manifest.MediaType ?? MediaTypes.OciManifest,
                Digest = image.ManifestDigest.ToString(),
                Size = store.Blobs.SizeOf(image.ManifestDigest),
                Annotations = annotations,
            });
        }

        File.WriteAllBytes(indexPath, JsonSerializer.SerializeToUtf8Bytes(index, ImageJsonContext.Default.ImageIndex));
    }

    /// <summary>Writes an OCI layout as a tar (as <c>docker save</c> of recent Docker and <c>podman save --format oci-archive</c>).</summary>
    public static void ExportTar(ImageStore store, IEnumerable<string> images, string tarPath)
    {
        string temp = Directory.CreateTempSubdirectory("oci-export-").FullName;
        try
        {
            ExportDirectory(store, images, temp);
            using FileStream file = File.Create(tarPath);
            TarFile.CreateFromDirectory(temp, file, includeBaseDirectory: false);
        }
        finally
        {
            Directory.Delete(temp, recursive: true);
        }
    }

    /// <summary>
    /// Imports every image of an OCI layout directory (or only <paramref name="tag"/>). Blobs are verified as
    /// they are copied. An entry is tagged with its <c>io.containerd.image.name</c>, else
    /// <paramref name="repository"/>:ref.name. Returns the images imported.
    /// </summary>
    public static async Task<IReadOnlyList<ImageRecord>> ImportDirectoryAsync(ImageStore store, string directory, string? repository = null,
        string? tag = null, Platform? platform = null, CancellationToken cancellationToken = default)
    {
        string indexPath = Path.Combine(directory, "index.json");
        if (!File.Exists(indexPath))
        {
            throw new InvalidDataException($"{directory} is not an OCI layout: it has no index.json");
        }

        ImageIndex index = JsonSerializer.Deserialize(File.ReadAllBytes(indexPath), ImageJsonContext.Default.ImageIndex)
            ?? throw new InvalidDataException($"{indexPath}: empty");
        var imported = new List<ImageRecord>();
        foreach (Descriptor entry in index.Manifests)
        {
            string? refName = entry.Annotations?.GetValueOrDefault(RefNameAnnotation);
            if (tag is not null && refName != tag)
            {
                continue;
            }

            ImageReference reference = NameFor(entry, repository, refName, directory);
            Descriptor manifestDescriptor = entry;
            Digest? indexDigest = null;
            if (MediaTypes.IsIndex(entry.MediaType))
            {
                await CopyBlobAsync(store, directory, entry, cancellationToken).ConfigureAwait(false);
                ImageIndex nested = JsonSerializer.Deserialize(store.Blobs.ReadAllBytes(entry.ParsedDigest), ImageJsonContext.Default.ImageIndex)!;
                Platform wanted = platform ?? PlatformSelector.Default;
                manifestDescriptor = PlatformSelector.Select(nested.Manifests, wanted)
                    ?? throw new PlatformNotFoundException(reference, wanted, nested.Manifests.Where(m => m.Platform is not null).Select(m => m.Platform!.ToString()));
                indexDigest = entry.ParsedDigest;
            }

            await CopyBlobAsync(store, directory, manifestDescriptor, cancellationToken).ConfigureAwait(false);
            Manifest manifest = store.ReadManifest(manifestDescriptor.ParsedDigest);
            foreach (Descriptor blob in manifest.Layers.Append(manifest.Config))
            {
                await CopyBlobAsync(store, directory, blob, cancellationToken).ConfigureAwait(false);
            }

            store.Tag(reference, manifestDescriptor.ParsedDigest, indexDigest);
            imported.Add(store.Get(reference.ToString()));
        }

        if (tag is not null && imported.Count == 0)
        {
            throw new ImageNotFoundException(tag, directory);
        }

        return imported;
    }

    /// <summary>Imports from an OCI layout tar (unpacked to a temporary directory first).</summary>
    public static async Task<IReadOnlyList<ImageRecord>> ImportTarAsync(ImageStore store, string tarPath, string? repository = null,
        string? tag = null, Platform? platform = null, CancellationToken cancellationToken = default)
    {
        string temp = Directory.CreateTempSubdirectory("oci-import-").FullName;
        try
        {
            using (FileStream file = File.OpenRead(tarPath))
            using (Stream tar = LayerDecompression.Open(file))
            {
                LayerUnpacker.Unpack(tar, temp, new UnpackOptions { AllowDevices = false, PreserveOwnership = false, Whiteouts = WhiteoutMode.Apply });
            }

            return await ImportDirectoryAsync(store, temp, repository, tag, platform, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            LayerCache.RemoveTree(temp);
        }
    }

    private static ImageReference NameFor(Descriptor entry, string? repository, string? refName, string source)
    {
        if (repository is null && entry.Annotations?.GetValueOrDefault(ContainerdNameAnnotation) is { } full)
        {
            return ImageReference.Parse(full);
        }

        if (repository is null)
        {
            throw new ArgumentException($"{source}: index entry {entry.Digest} has no {ContainerdNameAnnotation} annotation; give the repository to import it as");
        }

        ImageReference repo = ImageReference.Parse(repository);
        return refName is null || repository.Contains('@') || HasExplicitTag(repository) ? repo : repo.WithTag(refName);
    }

    private static bool HasExplicitTag(string reference)
    {
        int slash = reference.LastIndexOf('/');
        return reference.IndexOf(':', slash + 1) >= 0;
    }

    private static async Task CopyBlobAsync(ImageStore store, string directory, Descriptor descriptor, CancellationToken cancellationToken)
    {
        Digest digest = descriptor.ParsedDigest;
        if (store.Blobs.Contains(digest))
        {
            return;
        }

        string path = Path.Combine(directory, "blobs", digest.Algorithm, digest.Hex);
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"OCI layout {directory}: blob {digest} is missing", path);
        }

        await using FileStream source = File.OpenRead(path);
        await store.Blobs.WriteAsync(source, digest, descriptor.Size, cancellationToken).ConfigureAwait(false);
    }

    internal static IEnumerable<Digest> BlobsOf(ImageStore store, ImageRecord image)
    {
        Manifest manifest = store.ReadManifest(image.ManifestDigest);
        return manifest.Layers.Select(l => l.ParsedDigest).Append(manifest.Config.ParsedDigest).Append(image.ManifestDigest).Distinct();
    }
}
