using Containers.Runtime.Lifecycle;

namespace Containers.Cli.Commands;

/// <summary>`resume ID`: thaws a paused container.</summary>
public static class ResumeCommand
{
    public static int Run(GlobalOptions global, string[] args)
    {
        new ContainerOperations(global.Store).Resume(CommandLine.Parse(args, [], []).Id("resume"));
        return 0;
    }
}
