using System.Formats.Tar;
using System.Text.Json;

namespace Containers.Image;

/// <summary>The <c>docker save</c> / <c>docker load</c> tar: manifest.json, config JSON, one tar per layer.</summary>
public static class DockerArchive
{
    private static readonly HashSet<string> Metadata = new(StringComparer.Ordinal) { "manifest.json", "repositories", "index.json", "oci-layout" };

    /// <summary>
    /// Imports every image of a docker-archive. Layer files go straight into the blob store (hashed as they
    /// stream), so the archive is read once; layers are kept as they are in the archive (usually uncompressed).
    /// Images without RepoTags get <paramref name="untaggedName"/> or stay reachable by digest only.
    /// </summary>
    public static async Task<IReadOnlyList<ImageRecord>> ImportAsync(ImageStore store, string tarPath, string? untaggedName = null, CancellationToken cancellationToken = default)
    {
        var files = new Dictionary<string, (Digest Digest, long Size)>(StringComparer.Ordinal);
        var links = new Dictionary<string, string>(StringComparer.Ordinal);
        var preexisting = store.Blobs.List().ToHashSet();
        var written = new List<Digest>();
        byte[]? manifestJson = null;
        var leases = new List<IDisposable>();   // held until the images are tagged, so a GC meanwhile spares them
        try
        {
            await using (FileStream file = File.OpenRead(tarPath))
            await using (Stream stream = LayerDecompression.Open(file))
            {
                using var reader = new TarReader(stream);
                while (await reader.GetNextEntryAsync(copyData: false, cancellationToken).ConfigureAwait(false) is { } entry)
                {
                    string name = LayerPath.Join(LayerPath.Split(entry.Name, entry.Name));
                    switch (entry.EntryType)
                    {
                        case TarEntryType.SymbolicLink or TarEntryType.HardLink:
                            string baseDir = entry.EntryType == TarEntryType.SymbolicLink ? Path.GetDirectoryName(name) ?? "" : "";
                            links[name] = LayerPath.Join(LayerPath.Split(baseDir + "/" + entry.LinkName, entry.Name));
                            continue;
                        case TarEntryType.RegularFile or TarEntryType.V7RegularFile when entry.DataStream is { } data:
                            if (name == "manifest.json")
                            {
                                var buffer = new MemoryStream();
                                await data.CopyToAsync(buffer, cancellationToken).ConfigureAwait(false);
                                manifestJson = buffer.ToArray();
                            }
                            else if (!Metadata.Contains(name))
                            {
                                Digest digest = await store.Blobs.WriteAsync(data, cancellationToken: cancellationToken).ConfigureAwait(false);
                                leases.Add(store.Blobs.Lease([digest]));
                                files[name] = (digest, entry.Length);
                                written.Add(digest);
                            }

                            continue;
                        default:
                            continue;
                    }
                }
            }
        }
        catch
        {
            leases.ForEach(l => l.Dispose());
            throw;
        }

        var referenced = new HashSet<Digest>();
        try
        {
            if (manifestJson is null)
            {
                throw new InvalidDataException($"{tarPath} is not a docker-archive: it has no manifest.json");
            }

            List<DockerArchiveEntry> entries = JsonSerializer.Deserialize(manifestJson, ImageJsonContext.Default.ListDockerArchiveEntry) ?? [];
            var imported = new List<ImageRecord>();
            foreach (DockerArchiveEntry image in entries)
            {
                (Digest configDigest, long configSize) = Find(image.Config);
                referenced.Add(configDigest);
                ImageConfig config = store.ReadConfig(configDigest);
                var layers = new List<Descriptor>();
                foreach (string layerName in image.Layers)
                {
                    (Digest layer, long size) = Find(layerName);
                    referenced.Add(layer);
                    layers.Add(new Descriptor { MediaType = SniffLayerType(store, layer), Digest = layer.ToString(), Size = size });
                }

                if (config.RootFs.DiffIds.Count != layers.Count)
                {
                    throw new InvalidDataException($"{tarPath}: {image.Config} lists {config.RootFs.DiffIds.Count} diff_ids for {layers.Count} layers");
                }

                var manifest = new Manifest
                {
                    MediaType = MediaTypes.OciManifest,
                    Config = new Descriptor { MediaType = MediaTypes.OciConfig, Digest = configDigest.ToString(), Size = configSize },
                    Layers = layers,
                };
                Digest manifestDigest = store.Blobs.Write(JsonSerializer.SerializeToUtf8Bytes(manifest, ImageJsonContext.Default.Manifest));
                referenced.Add(manifestDigest);
                var names = (image.RepoTags ?? []).Select(ImageReference.Parse).ToList();
                if (names.Count == 0)
                {
                    names.Add(untaggedName is null
                        ? ImageReference.Parse("localhost/imported").WithDigest(manifestDigest)
                        : ImageReference.Parse(untaggedName));
                }

                foreach (ImageReference name in names)
                {
                    store.Tag(name, manifestDigest);
                    imported.Add(store.Get(name.ToString()));
                }
            }

            return imported;
        }
        finally
        {
            foreach (Digest digest in written.Where(d => !referenced.Contains(d) && !preexisting.Contains(d)))
            {
                store.Blobs.Delete(digest);   // metadata files and anything the manifest did not name
            }

            leases.ForEach(l => l.Dispose());
        }

        (Digest, long) Find(string name)
        {
            string path = LayerPath.Join(LayerPath.Split(name, name));
            for (int hops = 0; hops < 16 && links.TryGetValue(path, out string? target); hops++)
            {
                path = target;
            }

            return files.TryGetValue(path, out var found)
                ? found
                : throw new InvalidDataException($"{tarPath}: manifest.json names \"{name}\", which the archive does not hold");
        }
    }

    /// <summary>Writes a docker-archive that <c>docker load</c> reads: uncompressed layer tars named by DiffID.</summary>
    public static void Export(ImageStore store, IEnumerable<string> images, string tarPath)
    {
        string temp = Directory.CreateTempSubdirectory("docker-export-").FullName;
        try
        {
            using FileStream output = File.Create(tarPath);
            using var writer = new TarWriter(output, TarEntryFormat.Pax);
            var entries = new List<DockerArchiveEntry>();
            var done = new HashSet<string>(StringComparer.Ordinal);
            foreach (string name in images)
            {
                ImageRecord image = store.Get(name);
                Manifest manifest = store.ReadManifest(image.ManifestDigest);
                ImageConfig config = store.ReadConfig(image.Id);
                string configName = image.Id.Hex + ".json";
                if (done.Add(configName))
                {
                    using Stream configStream = store.Blobs.OpenRead(image.Id);
                    WriteFile(writer, configName, configStream);
                }

                var layerNames = new List<string>();
                for (int i = 0; i < manifest.Layers.Count; i++)
                {
                    string layerName = Digest.Parse(config.RootFs.DiffIds[i]).Hex + "/layer.tar";
                    layerNames.Add(layerName);
                    if (!done.Add(layerName))
                    {
                        continue;
                    }

                    string uncompressed = Path.Combine(temp, "layer.tar");
                    using (Stream blob = store.Blobs.OpenRead(manifest.Layers[i].ParsedDigest))
                    using (Stream tar = LayerDecompression.Open(blob, manifest.Layers[i].MediaType))
                    using (FileStream file = File.Create(uncompressed))
                    {
                        tar.CopyTo(file);
                    }

                    using (FileStream layer = File.OpenRead(uncompressed))
                    {
                        WriteFile(writer, layerName, layer);
                    }
                }

                var existing = entries.FirstOrDefault(e => e.Config == configName);
                string? tag = image.Reference.Tag is null ? null : image.Reference.FamiliarString;
                if (existing is not null)
                {
                    if (tag is not null)
                    {
                        (existing.RepoTags ??= []).Add(tag);
                    }

                    continue;
                }

                entries.Add(new DockerArchiveEntry { Config = configName, RepoTags = tag is null ? null : [tag], Layers = layerNames });
            }

            WriteFile(writer, "manifest.json", new MemoryStream(JsonSerializer.SerializeToUtf8Bytes(entries, ImageJsonContext.Default.ListDockerArchiveEntry)));
        }
        finally
        {
            Directory.Delete(temp, recursive: true);
        }
    }

    private static void WriteFile(TarWriter writer, string name, Stream content)
    {
        Stream data = content;
        if (!content.CanSeek)
        {
            data = new MemoryStream();
            content.CopyTo(data);
            data.Position = 0;
        }

        writer.WriteEntry(new PaxTarEntry(TarEntryType.RegularFile, name)
        {
            DataStream = data,
            Mode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead,
            ModificationTime = DateTimeOffset.UnixEpoch,
        });
    }

    private static string SniffLayerType(ImageStore store, Digest layer)
    {
        Span<byte> magic = stackalloc byte[4];
        using (FileStream file = File.OpenRead(store.Blobs.PathOf(layer)))
        {
            int n = file.ReadAtLeast(magic, 4, throwOnEndOfStream: false);
            magic = magic[..n];
        }

        return magic switch
        {
            [0x1f, 0x8b, ..] => MediaTypes.OciLayerGzip,
            [0x28, 0xb5, 0x2f, 0xfd] => MediaTypes.OciLayerZstd,
            _ => MediaTypes.OciLayer,
        };
    }
}
