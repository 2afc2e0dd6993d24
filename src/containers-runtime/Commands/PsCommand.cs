using System.Text.Json;
using Containers.Runtime.Lifecycle;

namespace Containers.Cli.Commands;

/// <summary>`ps [--format table|json] ID [ps options]`: the container's processes (json: a pid array, as runc).</summary>
public static class PsCommand
{
    public static int Run(GlobalOptions global, string[] args)
    {
        CommandLine line = CommandLine.Parse(args, ["format=f"], []);
        IReadOnlyList<int> pids = new ContainerOperations(global.Store).Processes(line.Id("ps"));
        if ((line.Value("format") ?? "table") == "json")
        {
            Console.WriteLine(JsonSerializer.Serialize(pids.ToList(), CliJsonContext.Default.ListInt32));
            return 0;
        }
        Console.WriteLine($"{"PID",-8} CMD");
        foreach (int pid in pids)
        {
            string cmd;
            try
            {
                cmd = File.ReadAllText($"/proc/{pid}/cmdline").Replace('\0', ' ').Trim();
            }
            catch (IOException)
            {
                continue;
            }
            Console.WriteLine($"{pid,-8} {cmd}");
        }
        return 0;
    }
}
