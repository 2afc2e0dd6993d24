using Containers.Runtime.Cgroups;
using Containers.Runtime.Lifecycle;

namespace Containers.Cli;

/// <summary>runc's global flags: --root, --log, --log-format, --debug, --systemd-cgroup.</summary>
public sealed record GlobalOptions(string Root, string? LogFile, string LogFormat, bool Debug, bool SystemdCgroup)
{
    public static readonly string[] ValueFlags = ["root", "log", "log-format", "criu"];
    public static readonly string[] BoolFlags = ["debug", "systemd-cgroup", "rootless", "help=h", "version=v"];

    public StateStore Store => new(Root);

    public CgroupDriver CgroupDriver => SystemdCgroup ? CgroupDriver.Systemd : CgroupDriver.Cgroupfs;

    public static GlobalOptions From(CommandLine line)
    {
        string format = line.Value("log-format") ?? "text";
        if (format is not ("text" or "json"))
        {
            throw new UsageException($"--log-format: \"{format}\" is not text or json");
        }
        string root = line.Value("root") ?? Environment.GetEnvironmentVariable("CONTAINERS_RUNTIME_ROOT") ?? StateStore.DefaultRoot;
        return new GlobalOptions(root, line.Value("log"), format, line.Has("debug"), line.Has("systemd-cgroup"));
    }
}
