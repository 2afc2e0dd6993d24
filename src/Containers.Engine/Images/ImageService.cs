using System.Formats.Tar;
using Containers.Image;

namespace Containers.Engine;

/// <summary>How to reach the registry of one pull or push.</summary>
public sealed record RegistryAccess
{
    /// <summary>Basic-auth credentials (also used to obtain a bearer token) for the reference's registry; null for anonymous.</summary>
    public RegistryCredentials? Credentials { get; init; }

    /// <summary>Plain HTTP for the reference's registry (loopback registries always are).</summary>
    public bool Insecure { get; init; }

    /// <summary>os/arch[/variant] to select from an index; linux/amd64 (this machine's) when null.</summary>
    public string? Platform { get; init; }
}

/// <summary>The archive formats Export-ContainerImage writes.</summary>
public enum ImageArchiveFormat
{
    /// <summary>The `docker save` tar.</summary>
    DockerArchive,

    /// <summary>An OCI image layout: a directory, or a tar of one when the path ends in .tar.</summary>
    OciLayout,
}

/// <summary>
/// The image side of the engine, as the cmdlets use it: the store under the engine's image root (its InUse
/// hook asks the engine's containers), pull and push, import and export, and images made from layers.
/// </summary>
public sealed class ImageService
{
    internal ImageService(string root, Func<Digest, bool> inUse)
    {
        Store = new ImageStore(root) { InUse = inUse };
    }

    public ImageStore Store { get; }

    public IReadOnlyList<ImageRecord> List() => Directory.Exists(Store.Root) ? Store.List() : [];

    /// <summary>By reference, ID or ID prefix; null when absent.</summary>
    public ImageRecord? Find(string text) => Directory.Exists(Store.Root) ? Store.Find(text) : null;

    public ImageRecord Get(string text) => Find(text) ?? throw new ImageNotFoundException(text, Store.Root);

    public ImageDefaults Defaults(ImageRecord image) => ImageDefaults.From(Store.ReadConfig(image.Id));

    public ImageConfig Config(ImageRecord image) => Store.ReadConfig(image.Id);

    /// <summary>Pulls <paramref name="reference"/> into the store (as `docker pull`): every blob verified, then tagged.</summary>
    public ImageRecord Pull(string reference, RegistryAccess? access = null, Action<LayerProgress>? progress = null, CancellationToken cancellation = default)
    {
        ImageReference parsed = ImageReference.Parse(reference);
        access ??= new RegistryAccess();
        Platform? platform = access.Platform is { } p ? PlatformSelector.Parse(p) : null;
        using RegistryClient client = Client(parsed, access);
        return new ImagePuller(client, Store).PullAsync(parsed, new PullOptions { Platform = platform, Progress = progress }, cancellation)
            .GetAwaiter().GetResult();
    }

    /// <summary>Pushes the stored image <paramref name="source"/> to <paramref name="destination"/> (its own reference when null).</summary>
    public Digest Push(string source, string? destination, RegistryAccess? access = null, Action<LayerProgress>? progress = null, CancellationToken cancellation = default)
    {
        ImageRecord image = Get(source);
        ImageReference target = destination is null ? image.Reference : ImageReference.Parse(destination);
        if (target.Digest is not null && target.Tag is null)
        {
            throw new ArgumentException($"push {target}: name a tag to push to, not a digest");
        }

        using RegistryClient client = Client(target, access ?? new RegistryAccess());
        return new ImagePusher(client, Store).PushAsync(source, target, progress, cancellation)
            .GetAwaiter().GetResult();
    }

    /// <summary>Untags (a reference) or removes (an ID) an image; refused for an image a container uses unless <paramref name="force"/>.</summary>
    public IReadOnlyList<string> Remove(string text, bool force)
    {
        _ = Get(text);
        return Store.Remove(text, force);
    }

    /// <summary>
    /// Imports a docker-archive (`docker save`), an OCI layout (directory or tar) or a plain rootfs tarball
    /// (one layer, no config defaults). <paramref name="reference"/> tags the single image imported.
    /// </summary>
    public IReadOnlyList<ImageRecord> Import(string path, string? reference, CancellationToken cancellation = default)
    {
        ImageReference? tag = reference is null ? null : ImageReference.Parse(reference);
        IReadOnlyList<ImageRecord> imported;
        Directory.CreateDirectory(Store.Root);
        if (Directory.Exists(path))
        {
            if (!File.Exists(Path.Join(path, "oci-layout")))
            {
                throw new InvalidDataException($"{path}: a directory to import must be an OCI image layout (it has no oci-layout file)");
            }
            imported = OciLayout.ImportDirectoryAsync(Store, path, tag?.Name, cancellationToken: cancellation).GetAwaiter().GetResult();
        }
        else if (!File.Exists(path))
        {
            throw new FileNotFoundException($"{path} does not exist", path);
        }
        else
        {
            switch (ArchiveKindOf(path))
            {
                case "docker":
                    imported = DockerArchive.ImportAsync(Store, path, tag?.ToString(), cancellation).GetAwaiter().GetResult();
                    break;
                case "oci":
                    imported = OciLayout.ImportTarAsync(Store, path, tag?.Name, cancellationToken: cancellation).GetAwaiter().GetResult();
                    break;
                default:
                    if (tag is null)
                    {
                        throw new ArgumentException($"{path} is a plain rootfs tarball: give a reference to tag the image made from it");
                    }
                    return [ImageBuilder.FromRootfsTar(Store, path, tag, new ContainerConfig(), $"imported from {Path.GetFileName(path)}")];
            }
        }

        if (tag is not null && imported.Count == 1 && imported[0].Reference.ToString() != tag.ToString())
        {
            Store.Tag(tag, imported[0].ManifestDigest, imported[0].IndexDigest);
            return [Store.Get(tag.ToString())];
        }

        return imported;
    }

    /// <summary>Writes the images to <paramref name="path"/> as a docker-archive or an OCI layout (a tar when the path ends in .tar).</summary>
    public void Export(IReadOnlyList<string> images, ImageArchiveFormat format, string path)
    {
        foreach (string image in images)
        {
            _ = Get(image);
        }

        switch (format)
        {
            case ImageArchiveFormat.OciLayout when path.EndsWith(".tar", StringComparison.OrdinalIgnoreCase):
                OciLayout.ExportTar(Store, images, path);
                break;
            case ImageArchiveFormat.OciLayout:
                OciLayout.ExportDirectory(Store, images, path);
                break;
            default:
                DockerArchive.Export(Store, images, path);
                break;
        }
    }

    /// <summary>"docker" (manifest.json), "oci" (oci-layout without manifest.json) or "rootfs", from the tar's top-level names.</summary>
    internal static string ArchiveKindOf(string path)
    {
        using FileStream file = File.OpenRead(path);
        using Stream stream = LayerDecompression.Open(file);
        using var reader = new TarReader(stream);
        bool oci = false;
        try
        {
            while (reader.GetNextEntry() is { } entry)
            {
                string name = entry.Name.StartsWith("./", StringComparison.Ordinal) ? entry.Name[2..] : entry.Name;
                if (name == "manifest.json") return "docker";
                if (name == "oci-layout") oci = true;
                if (name.StartsWith("bin/", StringComparison.Ordinal) || name.StartsWith("etc/", StringComparison.Ordinal) || name.StartsWith("usr/", StringComparison.Ordinal))
                {
                    break; // a root filesystem: no need to read it to the end
                }
            }
        }
        catch (InvalidDataException e)
        {
            throw new InvalidDataException($"{path}: not a tar archive ({e.Message})", e);
        }

        return oci ? "oci" : "rootfs";
    }

    private static RegistryClient Client(ImageReference reference, RegistryAccess access) => new(new RegistryClientOptions
    {
        Credentials = access.Credentials is { } c ? host => host == reference.Domain ? c : null : null,
        InsecureRegistries = access.Insecure ? [reference.Domain] : [],
    });
}
