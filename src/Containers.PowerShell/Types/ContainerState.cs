namespace Containers.PowerShell;

/// <summary>The life cycle of a container, as the module reports it.</summary>
public enum ContainerState
{
    Created,
    Running,
    Paused,
    Exited,
}
