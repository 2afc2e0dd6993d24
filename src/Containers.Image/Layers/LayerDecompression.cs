using System.IO.Compression;

namespace Containers.Image;

/// <summary>Opens a layer blob as a tar stream, whatever its compression (gzip, zstd or none), by its magic bytes.</summary>
public static class LayerDecompression
{
    /// <summary>Sniffs a seekable stream's first bytes, then wraps it in the right decompressor.</summary>
    public static Stream Open(Stream blob)
    {
        if (!blob.CanSeek)
        {
            throw new ArgumentException("a layer stream must be seekable to detect its compression; use Open(stream, mediaType)", nameof(blob));
        }

        Span<byte> magic = stackalloc byte[4];
        long start = blob.Position;
        int read = blob.ReadAtLeast(magic, magic.Length, throwOnEndOfStream: false);
        blob.Position = start;
        if (read >= 2 && magic[0] == 0x1f && magic[1] == 0x8b)
        {
            return new GZipStream(blob, CompressionMode.Decompress);
        }

        if (read >= 4 && magic[0] == 0x28 && magic[1] == 0xb5 && magic[2] == 0x2f && magic[3] == 0xfd)
        {
            return new ZstdSharp.DecompressionStream(blob);
        }

        return blob;
    }

    /// <summary>For non-seekable streams: the compression comes from the media type.</summary>
    public static Stream Open(Stream blob, string mediaType) => mediaType switch
    {
        _ when mediaType.EndsWith("+gzip", StringComparison.Ordinal) || mediaType.EndsWith(".tar.gzip", StringComparison.Ordinal) => new GZipStream(blob, CompressionMode.Decompress),
        _ when mediaType.EndsWith("+zstd", StringComparison.Ordinal) => new ZstdSharp.DecompressionStream(blob),
        _ when mediaType.EndsWith(".tar", StringComparison.Ordinal) => blob,
        _ => throw new NotSupportedException($"layer media type \"{mediaType}\" is not a tar, tar+gzip or tar+zstd"),
    };
}
