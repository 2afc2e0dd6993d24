using System.Formats.Tar;
using System.IO.Compression;
using System.Text;
using System.Text.Json;

namespace Containers.Image.Tests;

/// <summary>Builds layers and images in code: tar entries, gzip, config and manifest into a store.</summary>
internal static class TestImages
{
    public static byte[] Tar(Action<TarWriter> write)
    {
        var buffer = new MemoryStream();
        using (var writer = new TarWriter(buffer, TarEntryFormat.Pax, leaveOpen: true))
        {
            write(writer);
        }

        return buffer.ToArray();
    }

    public static byte[] Gzip(byte[] data)
    {
        var buffer = new MemoryStream();
        using (var gzip = new GZipStream(buffer, CompressionLevel.Fastest, leaveOpen: true))
        {
            gzip.Write(data);
        }

        return buffer.ToArray();
    }

    public static void File(this TarWriter writer, string name, string content, int mode = 0b110_100_100)
    {
        var entry = new PaxTarEntry(TarEntryType.RegularFile, name)
        {
            DataStream = new MemoryStream(Encoding.UTF8.GetBytes(content)),
            Mode = (UnixFileMode)mode,
            ModificationTime = new DateTimeOffset(2020, 1, 2, 3, 4, 5, TimeSpan.Zero),
        };
        writer.WriteEntry(entry);
    }

    public static void Dir(this TarWriter writer, string name, int mode = 0b111_101_101) =>
        writer.WriteEntry(new PaxTarEntry(TarEntryType.Directory, name) { Mode = (UnixFileMode)mode, ModificationTime = new DateTimeOffset(2020, 1, 2, 3, 4, 5, TimeSpan.Zero) });

    public static void Symlink(this TarWriter writer, string name, string target) =>
        writer.WriteEntry(new PaxTarEntry(TarEntryType.SymbolicLink, name) { LinkName = target });

    public static void Hardlink(this TarWriter writer, string name, string target) =>
        writer.WriteEntry(new PaxTarEntry(TarEntryType.HardLink, name) { LinkName = target });

    /// <summary>Stores layers (uncompressed tars, gzipped here), a config and a manifest; tags it; returns the manifest digest.</summary>
    public static Digest AddImage(ImageStore store, string reference, params byte[][] layerTars) =>
        AddImage(store, reference, new ContainerConfig { Cmd = ["/bin/sh"], Env = ["PATH=/usr/bin:/bin"] }, layerTars);

    public static Digest AddImage(ImageStore store, string reference, ContainerConfig containerConfig, params byte[][] layerTars)
    {
        var (manifestBytes, _) = BuildImage(store.Blobs, containerConfig, layerTars, MediaTypes.OciManifest);
        Digest manifest = store.Blobs.Write(manifestBytes);
        store.Tag(ImageReference.Parse(reference), manifest);
        return manifest;
    }

    /// <summary>Writes layer and config blobs into <paramref name="blobs"/>; returns the manifest bytes (not yet stored) and the config.</summary>
    public static (byte[] Manifest, ImageConfig Config) BuildImage(BlobStore blobs, ContainerConfig containerConfig, byte[][] layerTars, string manifestType)
    {
        bool oci = manifestType == MediaTypes.OciManifest;
        var layers = new List<Descriptor>();
        var diffIds = new List<string>();
        foreach (byte[] tar in layerTars)
        {
            byte[] gz = Gzip(tar);
            Digest digest = blobs.Write(gz);
            layers.Add(new Descriptor { MediaType = oci ? MediaTypes.OciLayerGzip : MediaTypes.DockerLayerGzip, Digest = digest.ToString(), Size = gz.Length });
            diffIds.Add(Digest.Sha256(tar).ToString());
        }

        var config = new ImageConfig
        {
            Created = new DateTimeOffset(2024, 5, 6, 7, 8, 9, TimeSpan.Zero),
            Architecture = "amd64",
            OS = "linux",
            Config = containerConfig,
            RootFs = new RootFs { DiffIds = diffIds },
        };
        byte[] configBytes = JsonSerializer.SerializeToUtf8Bytes(config, ImageJsonContext.Default.ImageConfig);
        Digest configDigest = blobs.Write(configBytes);
        var manifest = new Manifest
        {
            MediaType = manifestType,
            Config = new Descriptor { MediaType = oci ? MediaTypes.OciConfig : MediaTypes.DockerConfig, Digest = configDigest.ToString(), Size = configBytes.Length },
            Layers = layers,
        };
        return (JsonSerializer.SerializeToUtf8Bytes(manifest, ImageJsonContext.Default.Manifest), config);
    }
}

/// <summary>A temporary directory removed (recursively) on dispose.</summary>
internal sealed class TempDir : IDisposable
{
    public TempDir(string prefix = "img-test-") => Path = Directory.CreateTempSubdirectory(prefix).FullName;

    public string Path { get; }

    public string Combine(params string[] parts) => System.IO.Path.Combine([Path, .. parts]);

    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (DirectoryNotFoundException)
        {
        }
    }
}
