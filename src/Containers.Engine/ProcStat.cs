using System.Globalization;

namespace Containers.Engine;

/// <summary>What /proc says about a process (ps-style) and about the machine's CPU time.</summary>
internal static class ProcStat
{
    private static readonly long PageSize = Environment.SystemPageSize;
    private const double TicksPerSecond = 100; // USER_HZ

    public static ContainerProcessInfo? Process(int pid, string rootfs)
    {
        try
        {
            string status = File.ReadAllText($"/proc/{pid}/status");
            string stat = File.ReadAllText($"/proc/{pid}/stat");
            string statm = File.ReadAllText($"/proc/{pid}/statm");
            byte[] cmdline = File.ReadAllBytes($"/proc/{pid}/cmdline");

            string? uid = Field(status, "Uid:")?.Split('\t', ' ', StringSplitOptions.RemoveEmptyEntries)[0];
            string[] nspid = Field(status, "NSpid:")?.Split('\t', ' ', StringSplitOptions.RemoveEmptyEntries) ?? [];
            int containerPid = nspid.Length > 0 && int.TryParse(nspid[^1], out int p) ? p : pid;
            string[] afterComm = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            // fields 14 and 15 (utime, stime) are 11 and 12 after the state field
            double ticks = double.Parse(afterComm[11], CultureInfo.InvariantCulture) + double.Parse(afterComm[12], CultureInfo.InvariantCulture);
            long rss = long.Parse(statm.Split(' ')[1], CultureInfo.InvariantCulture) * PageSize;
            string command = string.Join(' ', System.Text.Encoding.UTF8.GetString(cmdline).Split('\0', StringSplitOptions.RemoveEmptyEntries));
            if (command.Length == 0)
            {
                int open = stat.IndexOf('(');
                command = "[" + stat[(open + 1)..stat.LastIndexOf(')')] + "]";
            }
            return new ContainerProcessInfo(pid, containerPid, UserName(uid ?? "0", rootfs), command, TimeSpan.FromSeconds(ticks / TicksPerSecond), rss);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException or IndexOutOfRangeException or ArgumentOutOfRangeException)
        {
            return null; // exited while we looked
        }
    }

    /// <summary>The container's name for a uid (its /etc/passwd), else the number.</summary>
    private static string UserName(string uid, string rootfs)
    {
        try
        {
            foreach (string line in File.ReadLines(Path.Join(rootfs, "etc", "passwd")))
            {
                string[] f = line.Split(':');
                if (f.Length > 2 && f[2] == uid) return f[0];
            }
        }
        catch (IOException)
        {
        }
        return uid;
    }

    private static string? Field(string status, string name)
    {
        foreach (string line in status.Split('\n'))
        {
            if (line.StartsWith(name, StringComparison.Ordinal)) return line[name.Length..].Trim();
        }
        return null;
    }

    /// <summary>The machine's total CPU time (all CPUs, all states) in nanoseconds, from /proc/stat's "cpu" line.</summary>
    public static ulong SystemCpuNs()
    {
        using var reader = new StreamReader("/proc/stat");
        string line = reader.ReadLine() ?? string.Empty;
        ulong ticks = 0;
        foreach (string field in line.Split(' ', StringSplitOptions.RemoveEmptyEntries).Skip(1).Take(8))
        {
            ticks += ulong.Parse(field, CultureInfo.InvariantCulture);
        }
        return (ulong)(ticks * (1e9 / TicksPerSecond));
    }

    /// <summary>Online CPUs (as Docker counts them for its percentage).</summary>
    public static int OnlineCpus()
    {
        try
        {
            int count = 0;
            foreach (string part in File.ReadAllText("/sys/devices/system/cpu/online").Trim().Split(','))
            {
                string[] range = part.Split('-');
                count += range.Length == 2 ? int.Parse(range[1], CultureInfo.InvariantCulture) - int.Parse(range[0], CultureInfo.InvariantCulture) + 1 : 1;
            }
            return count;
        }
        catch (Exception e) when (e is IOException or FormatException)
        {
            return Environment.ProcessorCount;
        }
    }

    /// <summary>Received and transmitted bytes over every interface in <paramref name="pid"/>'s network namespace (lo included).</summary>
    public static (long Rx, long Tx) NetworkBytes(int pid)
    {
        long rx = 0, tx = 0;
        try
        {
            foreach (string line in File.ReadLines($"/proc/{pid}/net/dev").Skip(2))
            {
                int colon = line.IndexOf(':');
                if (colon < 0) continue;
                string[] f = line[(colon + 1)..].Split(' ', StringSplitOptions.RemoveEmptyEntries);
                rx += long.Parse(f[0], CultureInfo.InvariantCulture);
                tx += long.Parse(f[8], CultureInfo.InvariantCulture);
            }
        }
        catch (Exception e) when (e is IOException or FormatException or UnauthorizedAccessException)
        {
        }
        return (rx, tx);
    }
}
