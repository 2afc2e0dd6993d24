using Containers.Runtime.Lifecycle;

namespace Containers.Cli.Commands;

/// <summary>`create [--bundle DIR] [--pid-file F] [--console-socket S] [--no-pivot] [--preserve-fds N] ID`</summary>
public static class CreateCommand
{
    public static readonly string[] ValueFlags = ["bundle=b", "pid-file", "console-socket", "preserve-fds", "notify-socket"];
    public static readonly string[] BoolFlags = ["no-pivot", "no-new-keyring"];

    public static int Run(GlobalOptions global, string[] args)
    {
        CommandLine line = CommandLine.Parse(args, ValueFlags, BoolFlags);
        new ContainerCreator(global.Store).Create(Options(global, line, line.Id("create")));
        return 0;
    }

    public static CreateOptions Options(GlobalOptions global, CommandLine line, string id) => new()
    {
        Id = id,
        Bundle = line.Value("bundle") ?? Directory.GetCurrentDirectory(),
        PidFile = line.Value("pid-file"),
        ConsoleSocket = line.Value("console-socket"),
        NoPivot = line.Has("no-pivot"),
        PreserveFds = line.IntValue("preserve-fds", 0),
        CgroupDriver = global.CgroupDriver,
    };
}
