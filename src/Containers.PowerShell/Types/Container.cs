using Containers.Engine;

namespace Containers.PowerShell;

/// <summary>A container as the cmdlets output it: a stable type, independent of the engine's records.</summary>
public sealed class Container
{
    public string Id { get; init; } = "";
    public string Name { get; init; } = "";
    public ContainerState State { get; init; }
    /// <summary>The image the container was made from; null for a container made from a rootfs.</summary>
    public string? Image { get; init; }
    /// <summary>The image's ID (sha256:…); null for a container made from a rootfs.</summary>
    public string? ImageId { get; init; }
    public string Rootfs { get; init; } = "";
    public string[] Command { get; init; } = [];
    public DateTime Created { get; init; }
    public DateTime? Started { get; init; }
    public DateTime? Finished { get; init; }
    public int? ExitCode { get; init; }
    public int? Pid { get; init; }
    public long? MemoryLimit { get; init; }
    public Dictionary<string, string> Labels { get; init; } = new(StringComparer.Ordinal);
    public bool AutoRemove { get; init; }
    public bool Tty { get; init; }

    /// <summary>The first 12 characters of the id, as docker shows it.</summary>
    public string ShortId => Id.Length > 12 ? Id[..12] : Id;

    /// <summary>"Up 5 minutes", "Exited (0) 2 minutes ago", "Created", "Up 3 seconds (Paused)".</summary>
    public string Status => DisplayFormat.Status(this, DateTime.Now);

    public override string ToString() => Name;

    internal static Container From(ContainerInfo info) => new()
    {
        Id = info.Id,
        Name = info.Name,
        State = (ContainerState)(int)info.State,
        Image = info.Image,
        ImageId = info.ImageId,
        Rootfs = info.Rootfs,
        Command = [.. info.Command],
        Created = info.CreatedAt.LocalDateTime,
        Started = info.StartedAt?.LocalDateTime,
        Finished = info.FinishedAt?.LocalDateTime,
        ExitCode = info.ExitCode,
        Pid = info.Pid,
        MemoryLimit = info.MemoryLimit,
        Labels = new Dictionary<string, string>(info.Labels, StringComparer.Ordinal),
        AutoRemove = info.AutoRemove,
        Tty = info.Tty,
    };
}
