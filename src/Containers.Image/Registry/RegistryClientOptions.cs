namespace Containers.Image;

/// <summary>A username and password for one registry (basic auth, or to obtain a bearer token).</summary>
public sealed record RegistryCredentials(string Username, string Password)
{
    public override string ToString() => $"RegistryCredentials {{ Username = {Username} }}";
}

/// <summary>How a <see cref="RegistryClient"/> reaches registries.</summary>
public sealed record RegistryClientOptions
{
    /// <summary>Credentials for a registry host (as in the reference, e.g. <c>localhost:5000</c>), or null for anonymous.</summary>
    public Func<string, RegistryCredentials?>? Credentials { get; init; }

    /// <summary>Hosts (with port, as in references) reached over plain HTTP. Loopback hosts always are.</summary>
    public IReadOnlyCollection<string> InsecureRegistries { get; init; } = [];

    /// <summary>Attempts per request on transient failures (connection errors, 5xx, 429, truncated bodies).</summary>
    public int MaxAttempts { get; init; } = 4;

    /// <summary>The first retry's delay; each next one doubles it.</summary>
    public TimeSpan InitialBackoff { get; init; } = TimeSpan.FromMilliseconds(200);

    /// <summary>Blob downloads running at once.</summary>
    public int MaxParallelDownloads { get; init; } = 3;

    /// <summary>Upload blobs in PATCH chunks of this size; 0 uploads each blob in one PUT.</summary>
    public int UploadChunkSize { get; init; }

    public TimeSpan Timeout { get; init; } = TimeSpan.FromMinutes(10);

    public string UserAgent { get; init; } = "containers-ps/0.1";
}
