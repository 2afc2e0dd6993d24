namespace Containers.Runtime.Lifecycle;

/// <summary>What /proc says about a pid: its start time (to detect pid reuse), whether it lives, what it runs.</summary>
public static class ProcessInfo
{
    /// <summary>Field 22 of /proc/PID/stat (clock ticks since boot), or null if the pid is gone.</summary>
    public static ulong? StartTime(int pid)
    {
        string? stat = ReadStat(pid);
        if (stat is null) return null;
        // The command name (field 2) may hold spaces and parentheses: split after its last ')'.
        string[] fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        return ulong.TryParse(fields[19], out ulong start) ? start : null;
    }

    /// <summary>True while the process exists and is not a zombie, and is the one we started.</summary>
    public static bool IsAlive(int pid, ulong expectedStartTime)
    {
        if (pid <= 0) return false;
        string? stat = ReadStat(pid);
        if (stat is null) return false;
        string[] fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        return fields[0] is not ("Z" or "X") && (expectedStartTime == 0 || fields[19] == expectedStartTime.ToString());
    }

    /// <summary>True while the pid still runs our init (it has not exec'd the container's process yet).</summary>
    public static bool IsStillInit(int pid)
    {
        try
        {
            string? target = new FileInfo($"/proc/{pid}/exe").LinkTarget;
            return target is not null && target.StartsWith("/memfd:containers-runtime", StringComparison.Ordinal);
        }
        catch (IOException)
        {
            return false;
        }
        catch (UnauthorizedAccessException)
        {
            return false;
        }
    }

    private static string? ReadStat(int pid)
    {
        try
        {
            return File.ReadAllText($"/proc/{pid}/stat");
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException or IOException)
        {
            return null;
        }
    }
}
