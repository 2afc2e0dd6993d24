using System.Text.Json;
using Containers.Runtime.Cgroups;
using Containers.Runtime.Lifecycle;

namespace Containers.Cli.Commands;

/// <summary>`events [--stats] [--interval 5s] ID`: one stats event with --stats, else one every interval until the container stops.</summary>
public static class EventsCommand
{
    public static int Run(GlobalOptions global, string[] args)
    {
        CommandLine line = CommandLine.Parse(args, ["interval"], ["stats"]);
        string id = line.Id("events");
        TimeSpan interval = ParseInterval(line.Value("interval") ?? "5s");
        var operations = new ContainerOperations(global.Store);
        while (true)
        {
            CgroupStats stats = operations.Stats(id);
            var e = new RuntimeEvent { Type = "stats", Id = id, Data = RuncStats.From(stats) };
            Console.WriteLine(JsonSerializer.Serialize(e, CliJsonContext.Default.RuntimeEvent));
            if (line.Has("stats") || operations.StatusOf(global.Store.Load(id)) == "stopped")
            {
                return 0;
            }
            Thread.Sleep(interval);
        }
    }

    private static TimeSpan ParseInterval(string text)
    {
        double Number(string s) => double.TryParse(s, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out double d) && d > 0
            ? d : throw new UsageException($"--interval \"{text}\": use a duration such as 5s, 500ms or 1m");
        return text.EndsWith("ms", StringComparison.Ordinal) ? TimeSpan.FromMilliseconds(Number(text[..^2]))
            : text.EndsWith('s') ? TimeSpan.FromSeconds(Number(text[..^1]))
            : text.EndsWith('m') ? TimeSpan.FromMinutes(Number(text[..^1]))
            : TimeSpan.FromSeconds(Number(text));
    }
}

/// <summary>runc's types.Event: <c>{"type":"stats","id":…,"data":{…}}</c>.</summary>
public sealed record RuntimeEvent
{
    public required string Type { get; init; }
    public required string Id { get; init; }
    public RuncStats? Data { get; init; }
}
