namespace Containers.Image;

/// <summary>A blob whose content does not match its digest or size: the bytes are not kept.</summary>
public sealed class CorruptBlobException(Digest expected, string detail)
    : IOException($"blob {expected}: {detail}")
{
    public Digest Expected { get; } = expected;
}

/// <summary>No image in the store answers to the reference or ID.</summary>
public sealed class ImageNotFoundException(string reference, string root)
    : Exception($"image \"{reference}\" not found in the store at {root}")
{
    public string Reference { get; } = reference;
}

/// <summary>Removal refused: a container uses the image (remove with force to untag anyway).</summary>
public sealed class ImageInUseException(string reference, Digest imageId)
    : InvalidOperationException($"cannot remove image \"{reference}\" ({imageId.Short}): a container uses it; force the removal to untag it anyway")
{
    public string Reference { get; } = reference;
    public Digest ImageId { get; } = imageId;
}
