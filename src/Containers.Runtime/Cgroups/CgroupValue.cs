using System.Globalization;

namespace Containers.Runtime.Cgroups;

/// <summary>Parsing and formatting of cgroup file values, shared by the generated accessors.</summary>
public static class CgroupValue
{
    /// <summary>
    /// What v1 reads back for "unlimited": LONG_MAX rounded down to the page size
    /// (PAGE_COUNTER_MAX * 4096 on x86_64).
    /// </summary>
    public const long V1Unlimited = 9223372036854771712;

    public static long ParseInteger(string text, CgroupDirectory dir, string file)
    {
        string t = text.Trim();
        return long.TryParse(t, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out long value)
            ? value
            : throw dir.FormatError(file, text);
    }

    /// <summary>null means unlimited: v2 "max", v1 -1 or anything at or above <see cref="V1Unlimited"/>.</summary>
    public static long? ParseMaxInteger(string text, CgroupDirectory dir, string file)
    {
        string t = text.Trim();
        if (t == "max")
        {
            return null;
        }

        // Some v1 files print unlimited as ULLONG_MAX (e.g. hugetlb on old kernels).
        if (ulong.TryParse(t, NumberStyles.None, CultureInfo.InvariantCulture, out ulong big) && big >= V1Unlimited)
        {
            return null;
        }

        long value = ParseInteger(text, dir, file);
        return value == -1 ? null : value;
    }

    public static string FormatInteger(long value) => value.ToString(CultureInfo.InvariantCulture);

    public static string FormatMaxInteger(long? value, CgroupVersion version) =>
        value is null or -1
            ? (version == CgroupVersion.V2 ? "max" : "-1")
            : value.Value.ToString(CultureInfo.InvariantCulture);

    public static string ParseString(string text) => text.TrimEnd('\n');

    public static IReadOnlyList<string> ParseList(string text) =>
        text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    public static IReadOnlyDictionary<string, string> ParseFlat(string text, CgroupDirectory dir, string file)
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        try
        {
            foreach (KeyValuePair<string, string> pair in CgroupKeyedText.Flat(text))
            {
                result[pair.Key] = pair.Value;
            }
        }
        catch (FormatException e)
        {
            throw dir.FormatError(file, text, e);
        }

        return result;
    }
}
