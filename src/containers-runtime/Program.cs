using Containers.Cli;
using Containers.Cli.Commands;
using Containers.Interop;
using Containers.Runtime;
using Containers.Runtime.Lifecycle;
using Containers.Runtime.Process;
using Containers.Runtime.Spec;

// `init` first and alone: it runs as PID 1 of a new container, before anything else is touched.
if (args.Length > 0 && args[0] == "init")
{
    return InitProcess.Run();
}

try
{
    int commandIndex = FindCommand(args);
    if (commandIndex < args.Length && args[commandIndex] is "create" or "run")
    {
        // As early as possible: its kernel wait then overlaps all of create's own start-up work.
        Containers.Runtime.Cgroups.CgroupMigrationPrimer.Start();
    }
    CommandLine global = CommandLine.Parse(args[..commandIndex], GlobalOptions.ValueFlags, GlobalOptions.BoolFlags);
    if (global.Has("version"))
    {
        Console.WriteLine(VersionText.Full);
        return 0;
    }
    if (commandIndex >= args.Length || global.Has("help"))
    {
        Console.WriteLine(Usage.Text);
        return commandIndex >= args.Length && !global.Has("help") ? 1 : 0;
    }
    GlobalOptions options = GlobalOptions.From(global);
    CliLog.Configure(options);
    RuntimeLog.WarningSink = CliLog.Warn;
    string command = args[commandIndex];
    string[] rest = args[(commandIndex + 1)..];
    return command switch
    {
        "create" => CreateCommand.Run(options, rest),
        "start" => StartCommand.Run(options, rest),
        "run" => RunCommand.Run(options, rest),
        "state" => StateCommand.Run(options, rest),
        "kill" => KillCommand.Run(options, rest),
        "delete" => DeleteCommand.Run(options, rest),
        "list" => ListCommand.Run(options, rest),
        "ps" => PsCommand.Run(options, rest),
        "pause" => PauseCommand.Run(options, rest),
        "resume" => ResumeCommand.Run(options, rest),
        "update" => UpdateCommand.Run(options, rest),
        "events" => EventsCommand.Run(options, rest),
        "exec" => ExecCommand.Run(options, rest),
        "features" => FeaturesCommand.Run(options, rest),
        "spec" => SpecCommand.Run(options, rest),
        "shim" => Containers.Cli.Shim.ShimCommand.Run(rest),
        "--version" or "version" => Print(VersionText.Full),
        _ => throw new UsageException($"no such command: {command}"),
    };
}
catch (Exception e) when (e is UsageException or ContainerException or SpecException or InitStepException
                              or SyscallException or IOException or ArgumentException or UnauthorizedAccessException
                              or InvalidOperationException or NotSupportedException or TimeoutException)
{
    CliLog.Error(e.Message);
    return 1;
}

static int Print(string text)
{
    Console.WriteLine(text);
    return 0;
}

// The first argument that is not a global flag (or a global flag's value) names the command.
static int FindCommand(string[] args)
{
    for (int i = 0; i < args.Length; i++)
    {
        string a = args[i];
        if (!a.StartsWith('-')) return i;
        string name = a.TrimStart('-');
        if (!name.Contains('=') && GlobalOptions.ValueFlags.Contains(name)) i++;
    }
    return args.Length;
}
