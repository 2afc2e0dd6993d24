using Containers.Interop;

namespace Containers.Cli.Shim;

/// <summary>Gives back, once the container runs, the memory the shim used only to create and start it.</summary>
internal static class ShimMemory
{
    /// <summary>
    /// Once the container runs: a compacting, decommitting full GC (start-up garbage is ~2 MiB of gen0),
    /// then the code and read-only data that creating the container touched leave our page tables.
    /// Idle shim measured: RSS 10.2 → 3.2 MiB.
    /// </summary>
    /// <remarks>Also after a burst of output, once it has been quiet for a second (<see cref="ContainerLogWriter.TrimIfQuiet"/>): one at a time.</remarks>
    public static void Trim()
    {
        lock (Gate)
        {
            List<(nint Start, nint End)> ranges = CleanFileMappings();
            GC.Collect(2, GCCollectionMode.Aggressive, blocking: true, compacting: true);
            // Last, in a tight loop: whatever runs after it maps its code pages again.
            foreach ((nint start, nint end) in ranges)
            {
                Syscalls.TryMadvise(start, (nuint)(end - start), MemoryAdvice.DontNeed);
            }
        }
    }

    private static readonly Lock Gate = new();

    /// <summary>
    /// The read-only file mappings without private (copied-on-write) pages: their pages can leave our page
    /// tables with madvise(MADV_DONTNEED) and come back unchanged from the page cache on the next access.
    /// Writable mappings, and read-only ones with private pages (RELRO), are left out: there DONTNEED would lose data.
    /// </summary>
    private static List<(nint Start, nint End)> CleanFileMappings()
    {
        var ranges = new List<(nint, nint)>();
        string[] lines;
        try
        {
            lines = File.ReadAllLines("/proc/self/smaps");
        }
        catch (IOException)
        {
            return ranges;
        }
        nint start = 0, end = 0;
        bool candidate = false;
        foreach (string line in lines)
        {
            if (line.Length > 0 && IsHex(line[0]) && line.Contains('-') && TryParseHeader(line, out nint s, out nint e, out bool readOnlyFile))
            {
                start = s;
                end = e;
                candidate = readOnlyFile;
            }
            else if (candidate && line.StartsWith("Anonymous:", StringComparison.Ordinal))
            {
                candidate = false;
                if (line.AsSpan("Anonymous:".Length).Trim().StartsWith("0 kB")) ranges.Add((start, end));
            }
        }
        return ranges;
    }

    // "55ae6b04e000-55ae6b2f7000 r-xp 0000b000 fe:00 11673607   /path"
    private static bool TryParseHeader(string line, out nint start, out nint end, out bool readOnlyFile)
    {
        start = end = 0;
        readOnlyFile = false;
        string[] fields = line.Split(' ', 6, StringSplitOptions.RemoveEmptyEntries);
        if (fields.Length < 5) return false;
        int dash = fields[0].IndexOf('-');
        if (dash < 0
            || !long.TryParse(fields[0].AsSpan(0, dash), System.Globalization.NumberStyles.HexNumber, null, out long s)
            || !long.TryParse(fields[0].AsSpan(dash + 1), System.Globalization.NumberStyles.HexNumber, null, out long e))
        {
            return false;
        }
        start = (nint)s;
        end = (nint)e;
        string perms = fields[1];
        readOnlyFile = perms.Length == 4 && perms[1] == '-' && perms[3] == 'p' && fields[4] != "0"
                       && fields.Length == 6 && fields[5].TrimStart().StartsWith('/');
        return true;
    }

    private static bool IsHex(char c) => char.IsAsciiHexDigit(c);
}
