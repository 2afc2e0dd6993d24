using System.Text;
using Containers.Runtime.Lifecycle;
using Containers.Runtime.Spec;

namespace Containers.Cli.Commands;

/// <summary>`update [--resources FILE|-] [--memory N] [--memory-swap N] [--cpu-shares N] [--cpu-quota N]
/// [--cpu-period N] [--cpuset-cpus L] [--cpuset-mems L] [--pids-limit N] [--blkio-weight N] ID`</summary>
public static class UpdateCommand
{
    public static int Run(GlobalOptions global, string[] args)
    {
        CommandLine line = CommandLine.Parse(args,
            ["resources=r", "memory", "memory-swap", "memory-reservation", "cpu-shares", "cpu-quota", "cpu-period", "cpuset-cpus", "cpuset-mems", "pids-limit", "blkio-weight"], []);
        string id = line.Id("update");
        ResourcesSpec resources;
        if (line.Value("resources") is { } file)
        {
            byte[] json = file == "-" ? Encoding.UTF8.GetBytes(Console.In.ReadToEnd()) : File.ReadAllBytes(file);
            resources = System.Text.Json.JsonSerializer.Deserialize(json, SpecJsonContext.Default.ResourcesSpec)
                ?? throw new UsageException($"--resources {file}: empty");
        }
        else
        {
            resources = new ResourcesSpec
            {
                Memory = Any(line, "memory", "memory-swap", "memory-reservation") ? new MemorySpec
                {
                    Limit = Long(line, "memory"), Swap = Long(line, "memory-swap"), Reservation = Long(line, "memory-reservation"),
                } : null,
                Cpu = Any(line, "cpu-shares", "cpu-quota", "cpu-period", "cpuset-cpus", "cpuset-mems") ? new CpuSpec
                {
                    Shares = (ulong?)Long(line, "cpu-shares"), Quota = Long(line, "cpu-quota"), Period = (ulong?)Long(line, "cpu-period"),
                    Cpus = line.Value("cpuset-cpus"), Mems = line.Value("cpuset-mems"),
                } : null,
                Pids = Long(line, "pids-limit") is long pids ? new PidsSpec { Limit = pids } : null,
                BlockIO = Long(line, "blkio-weight") is long w ? new BlockIOSpec { Weight = (ushort)w } : null,
            };
        }
        new ContainerOperations(global.Store).Update(id, resources);
        return 0;
    }

    private static bool Any(CommandLine line, params string[] names) => names.Any(n => line.Value(n) is not null);

    private static long? Long(CommandLine line, string name) =>
        line.Value(name) is not { } v ? null
        : long.TryParse(v, out long n) ? n
        : throw new UsageException($"--{name}: \"{v}\" is not an integer");
}
