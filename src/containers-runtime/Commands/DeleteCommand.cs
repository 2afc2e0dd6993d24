using Containers.Runtime.Lifecycle;

namespace Containers.Cli.Commands;

/// <summary>`delete [--force] ID`: removes a stopped (or, forced, a running) container and all it holds.</summary>
public static class DeleteCommand
{
    public static int Run(GlobalOptions global, string[] args)
    {
        CommandLine line = CommandLine.Parse(args, [], ["force=f"]);
        string id = line.Id("delete");
        try
        {
            new ContainerOperations(global.Store).Delete(id, line.Has("force"));
        }
        catch (ContainerException e) when (e.Kind == ContainerErrorKind.NotFound && line.Has("force"))
        {
            // runc: delete --force of a missing container succeeds.
        }
        return 0;
    }
}
