namespace Containers.Image;

/// <summary>What a whiteout in a layer becomes.</summary>
public enum WhiteoutMode
{
    /// <summary>Each layer in its own directory, for overlayfs: <c>.wh.x</c> → a 0/0 char device, an opaque dir → <c>trusted.overlay.opaque=y</c>.</summary>
    Overlay,

    /// <summary>Layers applied one over the other into one directory (the copy fallback): whiteouts delete what earlier layers put there.</summary>
    Apply,
}

public sealed record UnpackOptions
{
    public WhiteoutMode Whiteouts { get; init; } = WhiteoutMode.Overlay;

    /// <summary>Create char and block devices; when false they are skipped and listed in <see cref="UnpackResult.Skipped"/>.</summary>
    public bool AllowDevices { get; init; } = true;

    /// <summary>chown to the tar's uid/gid (needs root); else files belong to the caller.</summary>
    public bool PreserveOwnership { get; init; } = Environment.IsPrivilegedProcess;

    /// <summary>Told about what could not be applied but does not fail the layer (an xattr the filesystem refuses).</summary>
    public Action<string>? Warning { get; init; }
}

/// <summary>What an unpack did: the DiffID (sha256 of the uncompressed tar) and counts.</summary>
public sealed record UnpackResult(Digest DiffId, int Entries, long Bytes, IReadOnlyList<string> Skipped);

/// <summary>A layer entry that is refused: names the entry and why (escape attempt, unsupported type…).</summary>
public sealed class LayerFormatException(string entry, string reason)
    : IOException($"layer entry \"{entry}\": {reason}")
{
    public string Entry { get; } = entry;
    public string Reason { get; } = reason;
}
