using Containers.Engine;

namespace Containers.PowerShell;

/// <summary>A process running in a container (what a row of `docker top` shows).</summary>
public sealed class ContainerProcess
{
    public string ContainerId { get; init; } = "";
    public string ContainerName { get; init; } = "";
    /// <summary>The pid on the host.</summary>
    public int Pid { get; init; }
    /// <summary>The pid inside the container's pid namespace.</summary>
    public int ContainerPid { get; init; }
    public string User { get; init; } = "";
    public string Command { get; init; } = "";
    public TimeSpan CpuTime { get; init; }
    public long ResidentBytes { get; init; }

    internal static ContainerProcess From(ContainerProcessInfo p, Container c) => new()
    {
        ContainerId = c.Id,
        ContainerName = c.Name,
        Pid = p.Pid,
        ContainerPid = p.ContainerPid,
        User = p.User,
        Command = p.Command,
        CpuTime = p.CpuTime,
        ResidentBytes = p.ResidentBytes,
    };
}
