using Containers.Runtime.Lifecycle;
using Containers.Runtime.Spec;

namespace Containers.Cli.Commands;

/// <summary>`state ID`: the OCI state as JSON.</summary>
public static class StateCommand
{
    public static int Run(GlobalOptions global, string[] args)
    {
        CommandLine line = CommandLine.Parse(args, [], []);
        ContainerState state = new ContainerOperations(global.Store).State(line.Id("state"));
        Console.WriteLine(SpecLoader.Serialize(state));
        return 0;
    }
}
