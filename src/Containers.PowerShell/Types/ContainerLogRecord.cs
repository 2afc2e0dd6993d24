using Containers.Engine;

namespace Containers.PowerShell;

/// <summary>One line a container wrote: Stream is "stdout" or "stderr".</summary>
public sealed class ContainerLogRecord
{
    public string ContainerId { get; init; } = "";
    public string ContainerName { get; init; } = "";
    public string Stream { get; init; } = "";
    public DateTime Time { get; init; }
    public string Line { get; init; } = "";

    public override string ToString() => Line;

    internal static ContainerLogRecord From(ContainerLogEntry e, Container c) => new()
    {
        ContainerId = c.Id,
        ContainerName = c.Name,
        Stream = e.Stream,
        Time = e.Time.LocalDateTime,
        Line = e.Line,
    };
}
