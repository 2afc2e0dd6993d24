namespace Containers.Image;

/// <summary>Where one blob of a pull or push stands.</summary>
public enum LayerStatus
{
    Waiting,
    AlreadyExists,
    Downloading,
    Uploading,
    Mounted,
    Retrying,
    Done,
}

/// <summary>One progress report for one blob: bytes done out of the total; the cmdlets turn these into Write-Progress records.</summary>
public readonly record struct LayerProgress(Digest Digest, string MediaType, long Done, long Total, LayerStatus Status);
