using System.Text.Json;

namespace Containers.Image;

/// <summary>
/// The local image store: blobs (<see cref="Blobs"/>), a tag index (reference → manifest digest) and
/// garbage collection of blobs no image references.
/// </summary>
public sealed class ImageStore
{
    /// <summary>Where the store lives unless the caller or <see cref="RootVariable"/> says otherwise.</summary>
    public const string DefaultRoot = "/var/lib/containers-ps/images";

    /// <summary>Environment variable that overrides <see cref="DefaultRoot"/>.</summary>
    public const string RootVariable = "CONTAINERS_PS_IMAGES";

    private static readonly TimeSpan LockTimeout = TimeSpan.FromSeconds(30);
    private readonly string _indexPath;
    private readonly string _lockPath;

    public ImageStore(string? root = null)
    {
        Root = Path.GetFullPath(root ?? Environment.GetEnvironmentVariable(RootVariable) ?? DefaultRoot);
        Blobs = new BlobStore(Root);
        _indexPath = Path.Combine(Root, "images.json");
        _lockPath = Path.Combine(Root, "lock");
    }

    public string Root { get; }

    public BlobStore Blobs { get; }

    /// <summary>The engine's answer to "does a container use this image ID?"; removal refuses such an image unless forced.</summary>
    public Func<Digest, bool>? InUse { get; set; }

    /// <summary>Points <paramref name="reference"/> at a manifest that is already in the store.</summary>
    public void Tag(ImageReference reference, Digest manifest, Digest? index = null)
    {
        if (!Blobs.Contains(manifest))
        {
            throw new InvalidOperationException($"tag {reference}: manifest {manifest} is not in the store at {Root}");
        }

        using var _ = StoreLock.Acquire(_lockPath, LockTimeout);
        TagIndex tags = ReadIndex();
        tags.Images[reference.ToString()] = new TagEntry { Manifest = manifest.ToString(), Index = index?.ToString(), Tagged = DateTimeOffset.UtcNow };
        WriteIndex(tags);
    }

    public IReadOnlyList<ImageRecord> List()
    {
        TagIndex tags = ReadIndex();
        var records = new List<ImageRecord>();
        foreach (var (reference, entry) in tags.Images.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            records.Add(ToRecord(reference, entry));
        }

        return records;
    }

    /// <summary>
    /// Finds an image by reference (<c>busybox</c>, <c>busybox:1.36</c>, <c>name@sha256:…</c>), by ID or
    /// ID prefix (<c>sha256:abc…</c>, <c>abc123</c>), or by manifest digest. Null when nothing matches.
    /// </summary>
    public ImageRecord? Find(string text)
    {
        IReadOnlyList<ImageRecord> all = List();
        if (ImageReference.TryParse(text, out ImageReference? reference) && reference is not null)
        {
            string key = reference.ToString();
            ImageRecord? exact = all.FirstOrDefault(r => r.Reference.ToString() == key);
            if (exact is not null)
            {
                return exact;
            }

            if (reference.Digest is { } digest)
            {
                ImageRecord? byDigest = all.FirstOrDefault(r => r.Reference.Name == reference.Name && (r.ManifestDigest == digest || r.IndexDigest == digest));
                if (byDigest is not null)
                {
                    return byDigest;
                }
            }
        }

        string hex = text.StartsWith("sha256:", StringComparison.Ordinal) ? text[7..] : text;
        if (hex.Length >= 4 && hex.All(char.IsAsciiHexDigitLower))
        {
            var matches = all.Where(r => r.Id.Hex.StartsWith(hex, StringComparison.Ordinal) || r.ManifestDigest.Hex == hex).Select(r => r.Id).Distinct().ToList();
            if (matches.Count > 1)
            {
                throw new ArgumentException($"image ID prefix \"{text}\" is ambiguous: it matches {string.Join(", ", matches.Select(m => m.Short))}");
            }

            return matches.Count == 1 ? all.First(r => r.Id == matches[0]) : null;
        }

        return null;
    }

    public ImageRecord Get(string text) => Find(text) ?? throw new ImageNotFoundException(text, Root);

    public Manifest ReadManifest(Digest digest) =>
        JsonSerializer.Deserialize(Blobs.ReadAllBytes(digest), ImageJsonContext.Default.Manifest)
        ?? throw new InvalidDataException($"manifest {digest}: empty document");

    public ImageConfig ReadConfig(Digest digest) =>
        JsonSerializer.Deserialize(Blobs.ReadAllBytes(digest), ImageJsonContext.Default.ImageConfig)
        ?? throw new InvalidDataException($"config {digest}: empty document");

    /// <summary>
    /// Removes <paramref name="text"/>: a reference untags only that name; an ID removes every tag of that image.
    /// When no tag points at the image any more and a container uses it, the removal is refused unless
    /// <paramref name="force"/>. Then collects garbage. Returns the references removed.
    /// </summary>
    public IReadOnlyList<string> Remove(string text, bool force = false)
    {
        ImageRecord target = Get(text);
        bool byReference = ImageReference.TryParse(text, out ImageReference? parsed) && parsed is not null &&
                           target.Reference.ToString() == parsed.ToString();
        var removed = new List<string>();
        using (StoreLock.Acquire(_lockPath, LockTimeout))
        {
            TagIndex tags = ReadIndex();
            var sameImage = tags.Images.Where(p => ToRecord(p.Key, p.Value).Id == target.Id).Select(p => p.Key).ToList();
            var toRemove = byReference ? [target.Reference.ToString()] : sameImage;
            bool lastReference = sameImage.Count == toRemove.Count;
            bool inUse = lastReference && InUse?.Invoke(target.Id) == true;
            if (inUse && !force)
            {
                throw new ImageInUseException(text, target.Id);
            }

            foreach (string key in toRemove)
            {
                tags.Images.Remove(key);
                removed.Add(key);
            }

            if (inUse)
            {
                // Forced, but a container still runs on it: as Docker, keep the content, reachable by digest only.
                string dangling = target.Reference.WithDigest(target.ManifestDigest).ToString();
                tags.Images[dangling] = new TagEntry { Manifest = target.ManifestDigest.ToString(), Index = target.IndexDigest?.ToString(), Tagged = DateTimeOffset.UtcNow };
            }

            WriteIndex(tags);
        }

        CollectGarbage();
        new LayerCache(this).CollectGarbage();
        return removed;
    }

    /// <summary>Deletes every blob no tagged image reaches (and stale partial downloads); returns the digests deleted.</summary>
    public IReadOnlyList<Digest> CollectGarbage(TimeSpan? keepPartialsFor = null)
    {
        using var _ = StoreLock.Acquire(_lockPath, LockTimeout);
        var live = new HashSet<Digest>();
        foreach (TagEntry entry in ReadIndex().Images.Values)
        {
            Mark(Digest.Parse(entry.Manifest), live);
            if (entry.Index is { } index)
            {
                live.Add(Digest.Parse(index));
            }
        }

        var deleted = new List<Digest>();
        foreach (Digest blob in Blobs.List().ToList())
        {
            if (!live.Contains(blob) && !Blobs.IsLeased(blob) && Blobs.Delete(blob))
            {
                deleted.Add(blob);
            }
        }

        DateTime cutoff = DateTime.UtcNow - (keepPartialsFor ?? TimeSpan.FromDays(1));
        foreach (string partial in Directory.EnumerateFiles(Blobs.IngestDirectory))
        {
            if (File.GetLastWriteTimeUtc(partial) < cutoff)
            {
                File.Delete(partial);
            }
        }

        return deleted;
    }

    private void Mark(Digest manifest, HashSet<Digest> live)
    {
        if (!live.Add(manifest) || !Blobs.Contains(manifest))
        {
            return;
        }

        byte[] bytes = File.ReadAllBytes(Blobs.PathOf(manifest));
        MediaTypeProbe? probe = JsonSerializer.Deserialize(bytes, ImageJsonContext.Default.MediaTypeProbe);
        if (probe?.Manifests is { } children)
        {
            foreach (Descriptor child in children)
            {
                Mark(child.ParsedDigest, live);
            }

            return;
        }

        Manifest? parsed = JsonSerializer.Deserialize(bytes, ImageJsonContext.Default.Manifest);
        if (parsed is null)
        {
            return;
        }

        live.Add(parsed.Config.ParsedDigest);
        foreach (Descriptor layer in parsed.Layers)
        {
            live.Add(layer.ParsedDigest);
        }
    }

    private ImageRecord ToRecord(string reference, TagEntry entry)
    {
        Digest manifestDigest = Digest.Parse(entry.Manifest);
        Manifest manifest = ReadManifest(manifestDigest);
        Digest id = manifest.Config.ParsedDigest;
        long size = manifest.Config.Size + manifest.Layers.Sum(l => l.Size);
        DateTimeOffset? created = null;
        string platform = "";
        if (Blobs.Contains(id))
        {
            ImageConfig config = ReadConfig(id);
            created = config.Created;
            platform = new Platform { OS = config.OS, Architecture = config.Architecture, Variant = config.Variant }.ToString();
        }

        return new ImageRecord(ImageReference.Parse(reference), id, manifestDigest, entry.Index is { } i ? Digest.Parse(i) : null, size, created, platform);
    }

    private TagIndex ReadIndex()
    {
        if (!File.Exists(_indexPath))
        {
            return new TagIndex();
        }

        byte[] bytes = File.ReadAllBytes(_indexPath);
        try
        {
            return JsonSerializer.Deserialize(bytes, ImageJsonContext.Default.TagIndex) ?? new TagIndex();
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"image store index {_indexPath}: not valid JSON ({e.Message})", e);
        }
    }

    private void WriteIndex(TagIndex tags) =>
        FileSync.WriteAtomically(_indexPath, JsonSerializer.SerializeToUtf8Bytes(tags, ImageJsonContext.Default.TagIndex));
}
