using Containers.Runtime.Spec;

namespace Containers.Runtime.Process;

/// <summary>Finds process.args[0] inside the container (after pivot_root), as execvp would, but before start.</summary>
public static class ExecutableLookup
{
    private const string DefaultPath = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

    public static string Find(ProcessSpec process)
    {
        string name = process.Args![0];
        if (name.Contains('/'))
        {
            string full = Path.GetFullPath(name, process.Cwd ?? "/");
            return IsExecutable(full) ? name
                : throw new InitStepException("exec", $"\"{name}\": {(File.Exists(full) ? "permission denied (not executable)" : "no such file or directory")}");
        }
        string path = process.Env?.LastOrDefault(e => e.StartsWith("PATH=", StringComparison.Ordinal))?[5..] ?? DefaultPath;
        foreach (string dir in path.Split(':', StringSplitOptions.RemoveEmptyEntries))
        {
            string candidate = Path.Join(dir, name);
            if (IsExecutable(candidate))
            {
                return candidate;
            }
        }
        throw new InitStepException("exec", $"\"{name}\": executable file not found in $PATH");
    }

    private static bool IsExecutable(string path)
    {
        try
        {
            var info = new FileInfo(path);
            return info.Exists && (info.UnixFileMode & (UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute)) != 0;
        }
        catch (IOException)
        {
            return false;
        }
    }
}
