using Containers.Runtime.Lifecycle;

namespace Containers.Cli.Commands;

/// <summary>`start ID`: lets a created container's init exec the user's process.</summary>
public static class StartCommand
{
    public static int Run(GlobalOptions global, string[] args)
    {
        CommandLine line = CommandLine.Parse(args, [], []);
        new ContainerOperations(global.Store).Start(line.Id("start"));
        return 0;
    }
}
