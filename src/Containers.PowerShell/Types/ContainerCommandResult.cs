namespace Containers.PowerShell;

/// <summary>What Invoke-ContainerCommand -PassThru outputs: the exit code and the lines, by stream.</summary>
public sealed class ContainerCommandResult
{
    public string ContainerId { get; init; } = "";
    public string ContainerName { get; init; } = "";
    public string[] Command { get; init; } = [];
    public int ExitCode { get; init; }
    /// <summary>Standard output lines.</summary>
    public string[] Output { get; init; } = [];
    /// <summary>Standard error lines.</summary>
    public string[] ErrorOutput { get; init; } = [];
}
