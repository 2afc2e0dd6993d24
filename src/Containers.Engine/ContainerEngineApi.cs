namespace Containers.Engine;

// The engine's public surface, as the cmdlets use it. Plain records: the cmdlets turn them into
// the module's output types. Everything is synchronous or streams through IEnumerable with a
// CancellationToken, so a cmdlet can stop a stream at once (Select-Object -First, Ctrl+C).

/// <summary>Where the engine keeps its data; every root overridable so tests never touch a user's containers.</summary>
public sealed record EngineOptions
{
    /// <summary>Container configs, bundles, logs: /var/lib/containers-ps by default (env CONTAINERS_PS_DATA_ROOT).</summary>
    public string DataRoot { get; init; } = Environment.GetEnvironmentVariable("CONTAINERS_PS_DATA_ROOT") ?? "/var/lib/containers-ps";

    /// <summary>The OCI runtime's state root: /run/containers-ps by default (env CONTAINERS_PS_RUN_ROOT).</summary>
    public string RunRoot { get; init; } = Environment.GetEnvironmentVariable("CONTAINERS_PS_RUN_ROOT") ?? "/run/containers-ps";

    /// <summary>A container's log rotates to container.log.1 … when it passes this size (10 MiB by default).</summary>
    public long LogMaxBytes { get; init; } = 10 * 1024 * 1024;

    /// <summary>How many rotated log files are kept besides container.log.</summary>
    public int LogMaxFiles { get; init; } = 3;

    /// <summary>The containers-runtime executable (NativeAOT): beside the engine assembly by default.</summary>
    public string RuntimeExecutable { get; init; } =
        Environment.GetEnvironmentVariable("CONTAINERS_PS_RUNTIME")
        ?? Path.Join(AppContext.BaseDirectory, "containers-runtime");

    /// <summary>The image store: DataRoot/images unless set (env CONTAINERS_PS_IMAGES).</summary>
    public string? ImageRoot { get; init; } = Environment.GetEnvironmentVariable("CONTAINERS_PS_IMAGES");

    /// <summary>Where the image store lives: <see cref="ImageRoot"/>, or DataRoot/images.</summary>
    public string ImageStoreRoot => ImageRoot ?? Path.Join(DataRoot, "images");
}

public enum ContainerState
{
    Created,
    Running,
    Paused,
    Exited,
}

public sealed record MountRequest(string Type, string Destination, string? Source = null, bool ReadOnly = false, IReadOnlyList<string>? Options = null);

/// <summary>What New-Container asks for. Null means the default (Docker's, or the image's).</summary>
public sealed record ContainerCreateRequest
{
    public string? Name { get; init; }
    /// <summary>A directory or a rootfs tarball (.tar, .tar.gz). Exactly one of Rootfs and Image.</summary>
    public string? Rootfs { get; init; }
    /// <summary>An image reference or ID: pulled when not in the store; its config gives the defaults of the fields left null.</summary>
    public string? Image { get; init; }
    public IReadOnlyList<string>? Command { get; init; }
    public IReadOnlyList<string>? Entrypoint { get; init; }
    public IReadOnlyDictionary<string, string>? Environment { get; init; }
    public string? WorkingDirectory { get; init; }
    /// <summary>uid[:gid] or a name from the rootfs's /etc/passwd.</summary>
    public string? User { get; init; }
    public string? Hostname { get; init; }
    public long? Memory { get; init; }
    public long? MemorySwap { get; init; }
    public double? Cpus { get; init; }
    public ulong? CpuShares { get; init; }
    public string? CpusetCpus { get; init; }
    public long? PidsLimit { get; init; }
    public bool ReadOnlyRootfs { get; init; }
    public IReadOnlyList<MountRequest> Mounts { get; init; } = [];
    public IReadOnlyList<string> CapabilityAdd { get; init; } = [];
    public IReadOnlyList<string> CapabilityDrop { get; init; } = [];
    public bool Privileged { get; init; }
    /// <summary>"seccomp=unconfined", "seccomp=/path/profile.json", "no-new-privileges".</summary>
    public IReadOnlyList<string> SecurityOptions { get; init; } = [];
    /// <summary>"none" (default) or "host".</summary>
    public string Network { get; init; } = "none";
    public bool Tty { get; init; }
    public bool Interactive { get; init; }
    public IReadOnlyDictionary<string, string> Labels { get; init; } = new Dictionary<string, string>();
    public bool AutoRemove { get; init; }
    public string? StopSignal { get; init; }

    /// <summary>
    /// How to reach the registry when <see cref="Image"/> must be pulled (credentials, platform, plain HTTP), as
    /// Install-ContainerImage's. Used only by Create, never stored with the container (it may hold a password).
    /// </summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public RegistryAccess? PullAccess { get; init; }

    /// <summary>Called per blob while <see cref="Image"/> is pulled (from the download tasks); never stored.</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public Action<Containers.Image.LayerProgress>? PullProgress { get; init; }
}

/// <summary>A container as the engine reports it.</summary>
public sealed record ContainerInfo
{
    public required string Id { get; init; }
    public required string Name { get; init; }
    public required ContainerState State { get; init; }
    public required IReadOnlyList<string> Command { get; init; }
    public required string Rootfs { get; init; }
    public required DateTimeOffset CreatedAt { get; init; }
    public DateTimeOffset? StartedAt { get; init; }
    public DateTimeOffset? FinishedAt { get; init; }
    public int? ExitCode { get; init; }
    public int? Pid { get; init; }
    public long? MemoryLimit { get; init; }
    public required IReadOnlyDictionary<string, string> Labels { get; init; }
    public bool AutoRemove { get; init; }
    public bool Tty { get; init; }
    /// <summary>The image reference (normalized) the container was made from; null for a rootfs container.</summary>
    public string? Image { get; init; }
    /// <summary>The image's ID (config digest).</summary>
    public string? ImageId { get; init; }
    /// <summary>Recorded from the image config: "80/tcp".</summary>
    public IReadOnlyList<string> ExposedPorts { get; init; } = [];
    /// <summary>Recorded from the image config: "/data".</summary>
    public IReadOnlyList<string> Volumes { get; init; } = [];
}

public sealed record ContainerLogEntry(string Stream, DateTimeOffset Time, string Line);

public sealed record ContainerProcessInfo(int Pid, int ContainerPid, string User, string Command, TimeSpan CpuTime, long ResidentBytes);

public sealed record ContainerStatsSample
{
    public required DateTimeOffset Timestamp { get; init; }
    public required string Id { get; init; }
    public required string Name { get; init; }
    public double CpuPercent { get; init; }
    public TimeSpan CpuTime { get; init; }
    public long MemoryUsage { get; init; }
    public long? MemoryLimit { get; init; }
    public double? MemoryPercent { get; init; }
    public long PidsCurrent { get; init; }
    public long BlockRead { get; init; }
    public long BlockWrite { get; init; }
    public long NetRx { get; init; }
    public long NetTx { get; init; }
}

public sealed record ExecRequest
{
    public required IReadOnlyList<string> Command { get; init; }
    public string? User { get; init; }
    public string? WorkingDirectory { get; init; }
    public IReadOnlyDictionary<string, string>? Environment { get; init; }
    public bool Tty { get; init; }
    public bool Interactive { get; init; }
}

public sealed record ResourceUpdate
{
    public long? Memory { get; init; }
    public long? MemorySwap { get; init; }
    public double? Cpus { get; init; }
    public ulong? CpuShares { get; init; }
    public string? CpusetCpus { get; init; }
    public long? PidsLimit { get; init; }
}

public enum EngineErrorKind
{
    NotFound,
    AlreadyExists,
    InvalidState,
    InvalidArgument,
    PermissionDenied,
    Failed,
}

/// <summary>Every engine failure: the cmdlets map Kind to an ErrorCategory and a stable error id.</summary>
public sealed class EngineException(EngineErrorKind kind, string message, Exception? inner = null) : Exception(message, inner)
{
    public EngineErrorKind Kind { get; } = kind;
}

/// <summary>The operations behind the cmdlets. One instance per EngineOptions; thread-safe.</summary>
public interface IContainerEngine
{
    ContainerInfo Create(ContainerCreateRequest request);
    ContainerInfo Start(string idOrName);
    /// <summary>Streams the container's output (stdout and stderr lines) until it exits; stdin forwarded when given.</summary>
    IEnumerable<ContainerLogEntry> Attach(string idOrName, TextReader? stdin, CancellationToken cancellation);
    /// <summary>Waits for exit (or the timeout: then returns null).</summary>
    ContainerInfo? Wait(string idOrName, TimeSpan? timeout, CancellationToken cancellation);
    /// <summary>The stop signal (image's or SIGTERM), then SIGKILL after <paramref name="timeout"/>.</summary>
    ContainerInfo Stop(string idOrName, TimeSpan timeout);
    ContainerInfo Restart(string idOrName, TimeSpan timeout);
    ContainerInfo Pause(string idOrName);
    ContainerInfo Resume(string idOrName);
    /// <summary>Removes state, cgroups, mounts and logs; <paramref name="force"/> stops a running container first.</summary>
    void Remove(string idOrName, bool force);
    IReadOnlyList<ContainerInfo> List();
    /// <summary>By full id, unique id prefix, or name.</summary>
    ContainerInfo Get(string idOrName);
    IEnumerable<ContainerLogEntry> Logs(string idOrName, bool follow, int? tail, DateTimeOffset? since, CancellationToken cancellation);
    /// <summary>Runs a process in a running container: output lines as they come, then the exit code.</summary>
    IEnumerable<ContainerLogEntry> Exec(string idOrName, ExecRequest request, TextReader? stdin, Action<int> exitCode, CancellationToken cancellation);
    ContainerInfo Update(string idOrName, ResourceUpdate update);
    IReadOnlyList<ContainerProcessInfo> Processes(string idOrName);
    /// <summary>One sample per container every interval (CpuPercent from the delta since the previous sample).</summary>
    IEnumerable<ContainerStatsSample> Stats(IReadOnlyList<string> idsOrNames, TimeSpan interval, CancellationToken cancellation);

    /// <summary>The image store and registry operations, over this engine's image root.</summary>
    ImageService Images { get; }
    /// <summary>Writes the container's whole filesystem as a tar (`docker export`).</summary>
    void ExportFilesystem(string idOrName, string tarPath);
    /// <summary>Makes an image of the container's filesystem changes (`docker commit`).</summary>
    Containers.Image.ImageRecord Commit(string idOrName, CommitRequest request);
}

/// <summary>What New-ContainerImage asks for.</summary>
public sealed record CommitRequest
{
    public required string Reference { get; init; }
    public string? Author { get; init; }
    public string? Message { get; init; }
}
