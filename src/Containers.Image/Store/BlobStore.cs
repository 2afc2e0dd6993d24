using System.Collections.Concurrent;

namespace Containers.Image;

/// <summary>Content-addressable blobs under <c>root/blobs/sha256/hex</c>, written through <c>root/ingest/</c>.</summary>
public sealed class BlobStore
{
    private readonly ConcurrentDictionary<Digest, int> _leases = new();

    public BlobStore(string root)
    {
        Root = root;
        BlobDirectory = Path.Combine(root, "blobs", "sha256");
        IngestDirectory = Path.Combine(root, "ingest");
        Directory.CreateDirectory(BlobDirectory);
        Directory.CreateDirectory(IngestDirectory);
    }

    public string Root { get; }

    public string BlobDirectory { get; }

    public string IngestDirectory { get; }

    public string PathOf(Digest digest)
    {
        if (digest.Algorithm != "sha256")
        {
            throw new NotSupportedException($"blob {digest}: only sha256 blobs are stored");
        }

        return Path.Combine(BlobDirectory, digest.Hex);
    }

    public bool Contains(Digest digest) => File.Exists(PathOf(digest));

    public long SizeOf(Digest digest) => new FileInfo(PathOf(digest)).Length;

    /// <summary>Starts (or resumes, when <paramref name="expected"/> is known) writing a blob.</summary>
    public BlobIngest BeginWrite(Digest? expected = null, long? expectedSize = null) => new(this, expected, expectedSize);

    public Digest Write(ReadOnlySpan<byte> content, Digest? expected = null)
    {
        if (expected is { } e && Contains(e))
        {
            return e;
        }

        using var ingest = BeginWrite(expected, expected is null ? null : content.Length);
        ingest.Restart();
        ingest.Write(content);
        return ingest.Commit();
    }

    public async Task<Digest> WriteAsync(Stream content, Digest? expected = null, long? expectedSize = null, CancellationToken cancellationToken = default)
    {
        using var ingest = BeginWrite(expected, expectedSize);
        ingest.Restart();
        await ingest.CopyFromAsync(content, null, cancellationToken).ConfigureAwait(false);
        return ingest.Commit();
    }

    /// <summary>Opens a blob for reading; the stream throws <see cref="CorruptBlobException"/> at its end if the content was altered.</summary>
    public Stream OpenRead(Digest digest)
    {
        string path = PathOf(digest);
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"blob {digest} is not in the store at {Root}", path);
        }

        return new VerifyingStream(new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.SequentialScan), digest);
    }

    /// <summary>Reads a whole (small) blob and checks it against its digest.</summary>
    public byte[] ReadAllBytes(Digest digest)
    {
        byte[] bytes = File.ReadAllBytes(PathOf(digest));
        Digest actual = Digest.Sha256(bytes);
        if (actual != digest)
        {
            throw new CorruptBlobException(digest, $"stored content hashes to {actual}");
        }

        return bytes;
    }

    /// <summary>Hashes a stored blob; throws <see cref="CorruptBlobException"/> if it does not match.</summary>
    public void Verify(Digest digest)
    {
        using Stream stream = OpenRead(digest);
        stream.CopyTo(Stream.Null);
    }

    public IEnumerable<Digest> List()
    {
        foreach (string file in Directory.EnumerateFiles(BlobDirectory))
        {
            if (Digest.TryParse("sha256:" + Path.GetFileName(file), out Digest digest))
            {
                yield return digest;
            }
        }
    }

    public bool Delete(Digest digest)
    {
        string path = PathOf(digest);
        if (!File.Exists(path))
        {
            return false;
        }

        File.Delete(path);
        return true;
    }

    /// <summary>Keeps <paramref name="digests"/> from garbage collection until disposed (a pull in progress holds one).</summary>
    public IDisposable Lease(IEnumerable<Digest> digests)
    {
        var held = digests.ToArray();
        foreach (var d in held)
        {
            _leases.AddOrUpdate(d, 1, (_, n) => n + 1);
        }

        return new LeaseHandle(this, held);
    }

    public bool IsLeased(Digest digest) => _leases.TryGetValue(digest, out int n) && n > 0;

    internal void Install(string partialPath, Digest digest)
    {
        string target = PathOf(digest);
        File.Move(partialPath, target, overwrite: true);
        FileSync.Directory(BlobDirectory);
    }

    private sealed class LeaseHandle(BlobStore store, Digest[] held) : IDisposable
    {
        private int _disposed;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _disposed, 1) != 0)
            {
                return;
            }

            foreach (var d in held)
            {
                store._leases.AddOrUpdate(d, 0, (_, n) => n - 1);
            }
        }
    }
}
