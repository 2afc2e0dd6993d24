using System.Text;
using Containers.Runtime.Lifecycle;
using Containers.Runtime.Process;
using Containers.Runtime.Spec;

namespace Containers.Cli.Commands;

/// <summary>
/// `exec [--process FILE] [--tty] [--cwd D] [--env K=V]... [--user UID[:GID]] [--cap CAP]... [--detach]
/// [--pid-file F] [--console-socket S] ID [COMMAND ARGS...]`
/// </summary>
public static class ExecCommand
{
    public static int Run(GlobalOptions global, string[] args)
    {
        CommandLine line = CommandLine.Parse(args,
            ["process=p", "cwd", "env=e", "user=u", "cap=c", "pid-file", "console-socket", "additional-gids=g", "preserve-fds", "process-label", "apparmor", "cgroup"],
            ["tty=t", "detach=d", "no-new-privs", "ignore-paused"], stopAtFirstPositional: true);
        string id = line.Id("exec");
        var operations = new ContainerOperations(global.Store);
        ProcessSpec process = BuildProcess(line, global.Store.Load(id));
        var executor = new ContainerExecutor(operations);
        int pid = executor.Start(new ExecOptions
        {
            Id = id,
            Process = process,
            ConsoleSocket = line.Value("console-socket"),
            PidFile = line.Value("pid-file"),
            PreserveFds = line.IntValue("preserve-fds", 0),
        });
        return line.Has("detach") ? 0 : ChildProcess.ShellExitCode(ChildProcess.Wait(pid));
    }

    private static ProcessSpec BuildProcess(CommandLine line, ContainerRecord record)
    {
        if (line.Value("process") is { } file)
        {
            byte[] json = file == "-" ? Encoding.UTF8.GetBytes(Console.In.ReadToEnd()) : File.ReadAllBytes(file);
            return System.Text.Json.JsonSerializer.Deserialize(json, SpecJsonContext.Default.ProcessSpec)
                ?? throw new UsageException($"--process {file}: empty");
        }
        if (line.Positionals.Count < 2)
        {
            throw new UsageException("exec: give a command after the container id, or --process FILE");
        }
        ProcessSpec container = SpecLoader.ParseJson(Encoding.UTF8.GetBytes(record.SpecJson)).Process ?? new ProcessSpec();
        UserSpec? user = container.User;
        if (line.Value("user") is { } u)
        {
            string[] parts = u.Split(':');
            user = new UserSpec
            {
                Uid = uint.TryParse(parts[0], out uint uid) ? uid : throw new UsageException($"--user \"{u}\": use UID[:GID]"),
                Gid = parts.Length > 1 && uint.TryParse(parts[1], out uint gid) ? gid : 0,
            };
        }
        if (line.Values("additional-gids").Count > 0)
        {
            user = (user ?? new UserSpec()) with { AdditionalGids = line.Values("additional-gids").Select(uint.Parse).ToList() };
        }
        CapabilitiesSpec? caps = container.Capabilities;
        if (line.Values("cap").Count > 0)
        {
            IReadOnlyList<string> Add(IReadOnlyList<string>? set) => [.. set ?? [], .. line.Values("cap")];
            caps = (caps ?? new CapabilitiesSpec()) with
            {
                Bounding = Add(caps?.Bounding), Effective = Add(caps?.Effective), Permitted = Add(caps?.Permitted),
            };
        }
        return container with
        {
            Args = line.Positionals.Skip(1).ToList(),
            Env = [.. container.Env ?? [], .. line.Values("env")],
            Cwd = line.Value("cwd") ?? container.Cwd,
            Terminal = line.Has("tty"),
            User = user,
            Capabilities = caps,
            NoNewPrivileges = line.Has("no-new-privs") || container.NoNewPrivileges == true,
        };
    }
}
