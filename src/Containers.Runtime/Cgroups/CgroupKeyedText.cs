using System.Globalization;

namespace Containers.Runtime.Cgroups;

/// <summary>A block device as cgroup files name it, <c>major:minor</c>.</summary>
public readonly record struct CgroupDeviceNumber(long Major, long Minor)
{
    public override string ToString() => $"{Major}:{Minor}";

    public static bool TryParse(string text, out CgroupDeviceNumber device)
    {
        device = default;
        int colon = text.IndexOf(':', StringComparison.Ordinal);
        if (colon <= 0
            || !long.TryParse(text.AsSpan(0, colon), NumberStyles.None, CultureInfo.InvariantCulture, out long major)
            || !long.TryParse(text.AsSpan(colon + 1), NumberStyles.None, CultureInfo.InvariantCulture, out long minor))
        {
            return false;
        }

        device = new CgroupDeviceNumber(major, minor);
        return true;
    }
}

/// <summary>One value of a nested keyed file: the device, the key and its text.</summary>
public readonly record struct CgroupNestedValue(CgroupDeviceNumber Device, string Key, string Value);

/// <summary>The two keyed layouts of cgroup files, used by the generated record parsers.</summary>
public static class CgroupKeyedText
{
    /// <summary>"key value" lines (memory.stat, cpu.stat, cgroup.events).</summary>
    public static IEnumerable<KeyValuePair<string, string>> Flat(string text)
    {
        foreach (string raw in text.Split('\n'))
        {
            string line = raw.Trim();
            if (line.Length == 0)
            {
                continue;
            }

            int space = line.IndexOf(' ', StringComparison.Ordinal);
            if (space <= 0)
            {
                throw new FormatException($"line \"{line}\" is not \"key value\"");
            }

            yield return new KeyValuePair<string, string>(line[..space], line[(space + 1)..].Trim());
        }
    }

    /// <summary>
    /// Per-device lines: v2 "8:0 rbytes=1 wbytes=2 ..." and v1 "8:0 Read 123". Lines whose first
    /// field is not a device (v1's closing "Total 123") are skipped.
    /// </summary>
    public static IEnumerable<CgroupNestedValue> Nested(string text)
    {
        foreach (string raw in text.Split('\n'))
        {
            string[] fields = raw.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (fields.Length < 2 || !CgroupDeviceNumber.TryParse(fields[0], out CgroupDeviceNumber device))
            {
                continue;
            }

            if (fields[1].Contains('=', StringComparison.Ordinal))
            {
                for (int i = 1; i < fields.Length; i++)
                {
                    int eq = fields[i].IndexOf('=', StringComparison.Ordinal);
                    if (eq <= 0)
                    {
                        throw new FormatException($"\"{fields[i]}\" in line \"{raw.Trim()}\" is not key=value");
                    }

                    yield return new CgroupNestedValue(device, fields[i][..eq], fields[i][(eq + 1)..]);
                }
            }
            else if (fields.Length == 3)
            {
                yield return new CgroupNestedValue(device, fields[1], fields[2]);
            }
            else if (fields.Length == 2)
            {
                // v1 files with one value per device: "8:0 1234" (blkio.time, blkio.sectors).
                yield return new CgroupNestedValue(device, string.Empty, fields[1]);
            }
            else
            {
                throw new FormatException($"line \"{raw.Trim()}\" is neither \"maj:min key=value ...\" nor \"maj:min Key value\"");
            }
        }
    }

    public static ulong? ToUInt64(string? value, string key)
    {
        if (value is null)
        {
            return null;
        }

        if (value == "max")
        {
            return ulong.MaxValue;
        }

        return ulong.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out ulong result)
            ? result
            : throw new FormatException($"{key}: \"{value}\" is not an unsigned integer");
    }

    public static long? ToInt64(string? value, string key)
    {
        if (value is null)
        {
            return null;
        }

        return long.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out long result)
            ? result
            : throw new FormatException($"{key}: \"{value}\" is not an integer");
    }
}
