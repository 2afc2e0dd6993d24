using System.Security.Cryptography;
using Containers.Interop;

namespace Containers.Image;

/// <summary>
/// One blob being written: bytes go through a hasher into <c>ingest/</c>, and only a blob whose size and
/// digest match is fsynced and renamed into <c>blobs/</c>. A partial file named for its expected digest
/// survives a failure so the next attempt resumes from <see cref="Offset"/>.
/// </summary>
public sealed class BlobIngest : IDisposable
{
    private readonly BlobStore _store;
    private readonly string _partialPath;
    private readonly bool _resumable;
    private FileStream _file;
    private bool _closed;
    private IncrementalHash _hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);

    internal BlobIngest(BlobStore store, Digest? expected, long? expectedSize)
    {
        _store = store;
        Expected = expected;
        ExpectedSize = expectedSize;
        _resumable = expected is not null;
        _partialPath = expected is { } d
            ? Path.Combine(store.IngestDirectory, d.Hex + ".partial")
            : Path.Combine(store.IngestDirectory, "tmp-" + Guid.NewGuid().ToString("N"));
        _file = new FileStream(_partialPath, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None, 1 << 16);
        if (_resumable && _file.Length > 0)
        {
            if (expectedSize is { } size && _file.Length > size)
            {
                _file.SetLength(0);
            }
            else
            {
                HashExisting();
            }
        }

        _file.Seek(0, SeekOrigin.End);
    }

    public Digest? Expected { get; }

    public long? ExpectedSize { get; }

    /// <summary>Bytes already written (from an earlier attempt too): a resume starts here.</summary>
    public long Offset => _file.Length;

    /// <summary>Discards what was written (the server ignored a Range request, or the bytes were wrong).</summary>
    public void Restart()
    {
        _file.SetLength(0);
        _file.Seek(0, SeekOrigin.Begin);
        _hash.Dispose();
        _hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
    }

    public void Write(ReadOnlySpan<byte> data)
    {
        CheckSize(data.Length);
        _hash.AppendData(data);
        _file.Write(data);
    }

    /// <summary>Copies <paramref name="source"/> to its end; <paramref name="progress"/> gets the running total.</summary>
    public async Task CopyFromAsync(Stream source, Action<long>? progress, CancellationToken cancellationToken)
    {
        byte[] buffer = new byte[1 << 16];
        int read;
        while ((read = await source.ReadAsync(buffer, cancellationToken).ConfigureAwait(false)) > 0)
        {
            CheckSize(read);
            _hash.AppendData(buffer, 0, read);
            await _file.WriteAsync(buffer.AsMemory(0, read), cancellationToken).ConfigureAwait(false);
            progress?.Invoke(_file.Length);
        }
    }

    /// <summary>Verifies, fsyncs and moves the blob into the store; a mismatch deletes the bytes and throws.</summary>
    public Digest Commit()
    {
        Digest actual = Digest.FromSha256Hash(_hash.GetCurrentHash());
        long length = _file.Length;
        if ((ExpectedSize is { } size && size != length) || (Expected is { } expected && expected != actual))
        {
            string detail = ExpectedSize is { } s && s != length
                ? $"size {length} differs from the expected {s}"
                : $"content hashes to {actual}";
            DeletePartial();
            throw new CorruptBlobException(Expected ?? actual, detail);
        }

        _file.Flush(flushToDisk: true);
        _file.Dispose();
        _closed = true;
        _store.Install(_partialPath, actual);
        return actual;
    }

    /// <summary>Drops the partial bytes (no resume).</summary>
    public void Abandon() => DeletePartial();

    public void Dispose()
    {
        bool empty = _closed || _file.Length == 0;
        _file.Dispose();
        _hash.Dispose();
        if (!_resumable || empty)
        {
            File.Delete(_partialPath);
        }
    }

    private void CheckSize(int adding)
    {
        if (ExpectedSize is { } size && _file.Length + adding > size)
        {
            long length = _file.Length;
            DeletePartial();
            throw new CorruptBlobException(Expected ?? default, $"more than the expected {size} bytes arrived ({length + adding} so far)");
        }
    }

    private void HashExisting()
    {
        _file.Seek(0, SeekOrigin.Begin);
        byte[] buffer = new byte[1 << 16];
        int read;
        while ((read = _file.Read(buffer)) > 0)
        {
            _hash.AppendData(buffer, 0, read);
        }
    }

    private void DeletePartial()
    {
        _file.Dispose();
        _closed = true;
        File.Delete(_partialPath);
    }
}
