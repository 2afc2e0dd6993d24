using System.Security.Cryptography;

namespace Containers.Image;

/// <summary>A read-only stream over a blob that throws <see cref="CorruptBlobException"/> at its end if the bytes do not hash to the digest.</summary>
internal sealed class VerifyingStream(Stream inner, Digest expected) : Stream
{
    private readonly IncrementalHash _hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
    private bool _checked;

    public override bool CanRead => true;
    public override bool CanSeek => false;
    public override bool CanWrite => false;
    public override long Length => inner.Length;
    public override long Position { get => inner.Position; set => throw new NotSupportedException(); }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        int read = inner.Read(buffer);
        Account(buffer[..read], buffer.Length == 0);
        return read;
    }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        int read = await inner.ReadAsync(buffer, cancellationToken).ConfigureAwait(false);
        Account(buffer.Span[..read], buffer.Length == 0);
        return read;
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override void Flush() { }
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            inner.Dispose();
            _hash.Dispose();
        }

        base.Dispose(disposing);
    }

    private void Account(ReadOnlySpan<byte> data, bool emptyRequest)
    {
        if (data.Length > 0 || emptyRequest)
        {
            _hash.AppendData(data);
            return;   // a zero-length read is not the end of the stream
        }

        if (!_checked)
        {
            _checked = true;
            Digest actual = Digest.FromSha256Hash(_hash.GetCurrentHash());
            if (actual != expected)
            {
                throw new CorruptBlobException(expected, $"stored content hashes to {actual}");
            }
        }
    }
}
