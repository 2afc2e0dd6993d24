using System.Runtime.InteropServices;
using Containers.Interop;
using Containers.Runtime.Lifecycle;
using Containers.Runtime.Process;

namespace Containers.Cli.Commands;

/// <summary>
/// `run [--detach] [create's flags] ID`: create + start. In the foreground it forwards signals to the
/// container, waits for it, deletes it and exits with its status (128+N when a signal ended it).
/// </summary>
public static class RunCommand
{
    public static int Run(GlobalOptions global, string[] args)
    {
        CommandLine line = CommandLine.Parse(args, CreateCommand.ValueFlags, [.. CreateCommand.BoolFlags, "detach=d", "keep"]);
        string id = line.Id("run");
        var operations = new ContainerOperations(global.Store);
        ContainerRecord record = new ContainerCreator(global.Store).Create(CreateCommand.Options(global, line, id));
        try
        {
            operations.Start(record);
        }
        catch
        {
            operations.Delete(id, force: true);
            throw;
        }
        if (line.Has("detach"))
        {
            return 0;
        }

        var forwarded = new List<PosixSignalRegistration>();
        foreach (PosixSignal signal in new[] { PosixSignal.SIGINT, PosixSignal.SIGTERM, PosixSignal.SIGHUP, PosixSignal.SIGQUIT, PosixSignal.SIGWINCH })
        {
            forwarded.Add(PosixSignalRegistration.Create(signal, context =>
            {
                context.Cancel = true;
                Syscalls.TryKill(record.Pid, ToLinux(context.Signal));
            }));
        }
        WaitStatus status = ChildProcess.Wait(record.Pid);
        forwarded.ForEach(r => r.Dispose());
        if (!line.Has("keep"))
        {
            operations.Delete(id, force: true);
        }
        return ChildProcess.ShellExitCode(status);
    }

    private static Signal ToLinux(PosixSignal signal) => signal switch
    {
        PosixSignal.SIGINT => Signal.SIGINT,
        PosixSignal.SIGTERM => Signal.SIGTERM,
        PosixSignal.SIGHUP => Signal.SIGHUP,
        PosixSignal.SIGQUIT => Signal.SIGQUIT,
        PosixSignal.SIGWINCH => Signal.SIGWINCH,
        _ => Signal.SIGTERM,
    };
}
