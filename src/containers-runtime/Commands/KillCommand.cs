using Containers.Interop;
using Containers.Runtime.Lifecycle;

namespace Containers.Cli.Commands;

/// <summary>`kill [--all] ID [SIGNAL]`: SIGNAL as a name (KILL, SIGKILL) or a number; SIGTERM by default.</summary>
public static class KillCommand
{
    public static int Run(GlobalOptions global, string[] args)
    {
        CommandLine line = CommandLine.Parse(args, [], ["all=a"]);
        string id = line.Id("kill");
        Signal signal = ParseSignal(line.Positionals.Count > 1 ? line.Positionals[1] : "SIGTERM");
        new ContainerOperations(global.Store).Kill(id, signal, line.Has("all"));
        return 0;
    }

    public static Signal ParseSignal(string text)
    {
        if (int.TryParse(text, out int number))
        {
            return number is > 0 and < 65 ? (Signal)number : throw new UsageException($"invalid signal number {number}");
        }
        string name = text.ToUpperInvariant();
        if (!name.StartsWith("SIG", StringComparison.Ordinal)) name = "SIG" + name;
        // runc (moby/sys/signal) accepts SIGRTMIN+n and SIGRTMAX-n; glibc's SIGRTMIN is 34, SIGRTMAX 64
        if (name.Length >= 8 && name[..8] is "SIGRTMIN" or "SIGRTMAX")
        {
            int offset = name.Length == 8 ? 0 : int.TryParse(name[8..], out int n) ? n : -999;
            int realtime = (name[..8] == "SIGRTMIN" ? 34 : 64) + offset;
            return realtime is >= 34 and <= 64 ? (Signal)realtime : throw new UsageException($"unknown signal \"{text}\"");
        }
        return Enum.TryParse(name, out Signal signal) && !int.TryParse(name, out _)
            ? signal
            : throw new UsageException($"unknown signal \"{text}\"");
    }
}
