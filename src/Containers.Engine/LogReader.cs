using System.Text;
using System.Text.Json;

namespace Containers.Engine;

/// <summary>Reads container.log and its rotated files (container.log.N … container.log.1, then container.log).</summary>
internal static class LogReader
{
    /// <summary>Every record, the current file read up to <paramref name="currentLimit"/> bytes (where a follow starts).</summary>
    public static IEnumerable<ContainerLogEntry> ReadAll(string logPath, long currentLimit = long.MaxValue)
    {
        var files = new List<string>();
        for (int i = 1; File.Exists($"{logPath}.{i}"); i++) files.Insert(0, $"{logPath}.{i}");
        files.Add(logPath);
        foreach (string file in files)
        {
            IEnumerable<string> lines;
            try
            {
                lines = file == logPath ? ReadLines(file, currentLimit) : File.ReadAllLines(file, Encoding.UTF8);
            }
            catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
            {
                continue;
            }
            foreach (string line in lines)
            {
                if (Parse(line) is { } entry) yield return entry;
            }
        }
    }

    private static string[] ReadLines(string path, long limit)
    {
        using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        byte[] bytes = new byte[Math.Min(limit, file.Length)];
        file.ReadExactly(bytes);
        int end = Array.LastIndexOf(bytes, (byte)'\n') + 1; // whole lines only
        return Encoding.UTF8.GetString(bytes, 0, end).Split('\n', StringSplitOptions.RemoveEmptyEntries);
    }

    /// <summary>
    /// Lines appended to container.log from byte <paramref name="offset"/> on, until <paramref name="stop"/>
    /// says so (checked when no new line came for a while) or cancellation. Follows rotation.
    /// </summary>
    public static IEnumerable<ContainerLogEntry> Follow(string logPath, long offset, Func<bool> stop, CancellationToken cancellation)
    {
        FileStream? file = null;
        var pending = new List<byte>();
        byte[] buffer = new byte[64 * 1024];
        try
        {
            bool stopping = false;
            while (!cancellation.IsCancellationRequested)
            {
                file ??= TryOpen(logPath, offset);
                int n = file?.Read(buffer) ?? 0;
                if (n > 0)
                {
                    int start = 0;
                    for (int i = 0; i < n; i++)
                    {
                        if (buffer[i] != (byte)'\n') continue;
                        pending.AddRange(buffer.AsSpan(start, i - start));
                        string text = Encoding.UTF8.GetString([.. pending]);
                        pending.Clear();
                        start = i + 1;
                        if (Parse(text) is { } entry) yield return entry;
                    }
                    pending.AddRange(buffer.AsSpan(start, n - start));
                    continue;
                }
                if (file is not null && Rotated(file, logPath))
                {
                    file.Dispose();
                    file = null;
                    offset = 0;
                    continue; // the rest of the old file was read above; the new one starts at 0
                }
                if (stopping) yield break;
                if (stop())
                {
                    stopping = true; // one more read: what was written before the exit
                    continue;
                }
                cancellation.WaitHandle.WaitOne(50);
            }
        }
        finally
        {
            file?.Dispose();
        }
    }

    public static long Length(string path)
    {
        try
        {
            return new FileInfo(path).Length;
        }
        catch (IOException)
        {
            return 0;
        }
    }

    private static FileStream? TryOpen(string path, long offset)
    {
        try
        {
            var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            file.Seek(Math.Min(offset, file.Length), SeekOrigin.Begin);
            return file;
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            return null;
        }
    }

    /// <summary>The open file was renamed (container.log.1) or deleted: /proc/self/fd/N no longer names <paramref name="path"/>.</summary>
    private static bool Rotated(FileStream file, string path)
    {
        try
        {
            return new FileInfo($"/proc/self/fd/{file.SafeFileHandle.DangerousGetHandle()}").LinkTarget != path;
        }
        catch (IOException)
        {
            return false;
        }
    }

    public static ContainerLogEntry? Parse(string line)
    {
        if (line.Length == 0) return null;
        try
        {
            LogLine? l = JsonSerializer.Deserialize(line, EngineJsonContext.Default.LogLine);
            return l is null ? null : new ContainerLogEntry(l.Stream, l.Time, l.Line);
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
