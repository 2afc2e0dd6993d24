using System.Text.Json;

namespace Containers.Cli;

/// <summary>
/// Errors and warnings: to stderr, and to --log (text, or runc's JSON lines that containerd reads:
/// {"level":"error","msg":"…","time":"…"}).
/// </summary>
public static class CliLog
{
    private static GlobalOptions? _options;

    public static void Configure(GlobalOptions options) => _options = options;

    public static void Error(string message) => Write("error", message, toStderr: true);

    public static void Warn(string message) => Write("warning", message, toStderr: _options?.LogFile is null);

    public static void Debug(string message)
    {
        if (_options?.Debug == true) Write("debug", message, toStderr: _options.LogFile is null);
    }

    private static void Write(string level, string message, bool toStderr)
    {
        if (toStderr)
        {
            Console.Error.WriteLine(level == "error" ? message : $"{level}: {message}");
        }
        if (_options?.LogFile is not { } file)
        {
            return;
        }
        string time = DateTimeOffset.UtcNow.ToString("yyyy-MM-ddTHH:mm:ss.fffffffZ");
        string line = _options.LogFormat == "json"
            ? $"{{\"level\":\"{level}\",\"msg\":{JsonEncode(message)},\"time\":\"{time}\"}}"
            : $"time=\"{time}\" level={level} msg={JsonEncode(message)}";
        try
        {
            File.AppendAllText(file, line + "\n");
        }
        catch (IOException)
        {
            // A log we cannot write must not hide the error itself, which went to stderr.
        }
    }

    private static string JsonEncode(string s)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStringValue(s);
        }
        return System.Text.Encoding.UTF8.GetString(buffer.ToArray());
    }
}
