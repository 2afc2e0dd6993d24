using System.Text.Json;
using Containers.Runtime.Lifecycle;

namespace Containers.Cli.Commands;

/// <summary>`list [--format table|json] [--quiet]`</summary>
public static class ListCommand
{
    public static int Run(GlobalOptions global, string[] args)
    {
        CommandLine line = CommandLine.Parse(args, ["format=f"], ["quiet=q"]);
        var operations = new ContainerOperations(global.Store);
        var summaries = new List<ContainerSummary>();
        foreach (string id in global.Store.ListIds().Order(StringComparer.Ordinal))
        {
            ContainerRecord record;
            try
            {
                record = global.Store.Load(id);
            }
            catch (ContainerException)
            {
                continue; // removed while we listed
            }
            string status = operations.StatusOf(record);
            summaries.Add(new ContainerSummary
            {
                Id = id, Pid = status == "stopped" ? 0 : record.Pid, Status = status, Bundle = record.Bundle,
                Rootfs = record.Rootfs, Created = record.Created, Annotations = record.Annotations,
            });
        }

        if (line.Has("quiet"))
        {
            summaries.ForEach(s => Console.WriteLine(s.Id));
        }
        else if ((line.Value("format") ?? "table") == "json")
        {
            Console.WriteLine(JsonSerializer.Serialize(summaries, CliJsonContext.Default.ListContainerSummary));
        }
        else
        {
            Console.WriteLine($"{"ID",-20} {"PID",-8} {"STATUS",-10} {"BUNDLE",-40} {"CREATED",-30} OWNER");
            foreach (ContainerSummary s in summaries)
            {
                Console.WriteLine($"{s.Id,-20} {s.Pid,-8} {s.Status,-10} {s.Bundle,-40} {s.Created.UtcDateTime:O} {s.Owner}");
            }
        }
        return 0;
    }
}
