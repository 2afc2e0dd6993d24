using Containers.Runtime.Lifecycle;

namespace Containers.Cli.Commands;

/// <summary>`pause ID`: freezes every process of the container (cgroup freezer).</summary>
public static class PauseCommand
{
    public static int Run(GlobalOptions global, string[] args)
    {
        new ContainerOperations(global.Store).Pause(CommandLine.Parse(args, [], []).Id("pause"));
        return 0;
    }
}
