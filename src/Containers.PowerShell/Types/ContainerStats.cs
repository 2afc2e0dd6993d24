using Containers.Engine;

namespace Containers.PowerShell;

/// <summary>One resource-usage sample of one container (what a row of `docker stats` shows).</summary>
public sealed class ContainerStats
{
    public DateTime Timestamp { get; init; }
    public string Id { get; init; } = "";
    public string Name { get; init; } = "";
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

    public string ShortId => Id.Length > 12 ? Id[..12] : Id;

    internal static ContainerStats From(ContainerStatsSample s) => new()
    {
        Timestamp = s.Timestamp.LocalDateTime,
        Id = s.Id,
        Name = s.Name,
        CpuPercent = s.CpuPercent,
        CpuTime = s.CpuTime,
        MemoryUsage = s.MemoryUsage,
        MemoryLimit = s.MemoryLimit,
        MemoryPercent = s.MemoryPercent,
        PidsCurrent = s.PidsCurrent,
        BlockRead = s.BlockRead,
        BlockWrite = s.BlockWrite,
        NetRx = s.NetRx,
        NetTx = s.NetTx,
    };
}
