using System.Globalization;

namespace Containers.PowerShell;

/// <summary>The text the format views show, in docker's words: relative times, status, sizes.</summary>
public static class DisplayFormat
{
    /// <summary>docker's HumanDuration: "Less than a second", "About a minute", "3 hours", "2 weeks".</summary>
    public static string Duration(TimeSpan d)
    {
        double seconds = d.TotalSeconds;
        if (seconds < 1) return "Less than a second";
        if ((int)seconds == 1) return "1 second";
        if (seconds < 60) return $"{(int)seconds} seconds";
        int minutes = (int)d.TotalMinutes;
        if (minutes == 1) return "About a minute";
        if (minutes < 60) return $"{minutes} minutes";
        int hours = (int)(d.TotalHours + 0.5);
        if (hours == 1) return "About an hour";
        if (hours < 48) return $"{hours} hours";
        if (hours < 24 * 7 * 2) return $"{hours / 24} days";
        if (hours < 24 * 30 * 2) return $"{hours / 24 / 7} weeks";
        if (hours < 24 * 365 * 2) return $"{hours / 24 / 30} months";
        return $"{(int)(d.TotalHours / 24 / 365)} years";
    }

    /// <summary>"5 minutes ago".</summary>
    public static string Ago(DateTime? time) => time is { } t ? Duration(DateTime.Now - t) + " ago" : "";

    public static string Status(Container c, DateTime now) => c.State switch
    {
        ContainerState.Created => "Created",
        ContainerState.Running => "Up " + Duration(now - (c.Started ?? now)),
        ContainerState.Paused => "Up " + Duration(now - (c.Started ?? now)) + " (Paused)",
        ContainerState.Exited => c.Finished is { } f
            ? $"Exited ({c.ExitCode?.ToString(CultureInfo.InvariantCulture) ?? "?"}) {Duration(now - f)} ago"
            : $"Exited ({c.ExitCode?.ToString(CultureInfo.InvariantCulture) ?? "?"})",
        _ => c.State.ToString(),
    };

    /// <summary>The command as docker ps shows it: quoted, cut to <paramref name="width"/> characters.</summary>
    public static string Command(string[]? command, int width = 20)
    {
        string text = string.Join(' ', command ?? []);
        if (text.Length > width) text = text[..(width - 1)] + "…";
        return "\"" + text + "\"";
    }

    /// <summary>Decimal units, as docker shows I/O: "0B", "1.23kB", "45.6MB".</summary>
    public static string Size(long bytes) => Scaled(bytes, 1000, ["B", "kB", "MB", "GB", "TB", "PB"]);

    /// <summary>Binary units, as docker shows memory: "1.5MiB", "64MiB".</summary>
    public static string BinarySize(long? bytes) => bytes is { } b ? Scaled(b, 1024, ["B", "KiB", "MiB", "GiB", "TiB", "PiB"]) : "--";

    public static string Percent(double? value) => value is { } v ? v.ToString("0.00", CultureInfo.InvariantCulture) + "%" : "--";

    private static string Scaled(long bytes, double unit, string[] names)
    {
        double size = bytes;
        int i = 0;
        while (Math.Abs(size) >= unit && i < names.Length - 1)
        {
            size /= unit;
            i++;
        }
        return size.ToString("G4", CultureInfo.InvariantCulture) + names[i];
    }
}
