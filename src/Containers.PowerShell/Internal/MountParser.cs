using Containers.Engine;

namespace Containers.PowerShell.Internal;

/// <summary>
/// Parses docker's --mount syntax: 'type=bind,source=/x,target=/y,readonly', 'type=tmpfs,target=/t,tmpfs-size=64m'.
/// A bad mount throws an ArgumentException whose message names the mount and the field.
/// </summary>
public static class MountParser
{
    public static MountRequest Parse(string text, Func<string, string> resolvePath)
    {
        string? type = null, source = null, target = null;
        bool readOnly = false;
        var options = new List<string>();
        foreach (string part in text.Split(',', StringSplitOptions.TrimEntries))
        {
            if (part.Length == 0) continue;
            int eq = part.IndexOf('=');
            string key = (eq < 0 ? part : part[..eq]).ToLowerInvariant();
            string? value = eq < 0 ? null : part[(eq + 1)..];
            switch (key)
            {
                case "type":
                    type = Required(text, key, value).ToLowerInvariant();
                    break;
                case "source" or "src":
                    source = Required(text, key, value);
                    break;
                case "target" or "destination" or "dst":
                    target = Required(text, key, value);
                    break;
                case "readonly" or "ro":
                    readOnly = value is null || ParseBool(text, key, value);
                    break;
                case "bind-propagation":
                    string propagation = Required(text, key, value);
                    if (propagation is not ("private" or "rprivate" or "shared" or "rshared" or "slave" or "rslave"))
                    {
                        throw Bad(text, key, $"'{propagation}' is not one of private, rprivate, shared, rshared, slave, rslave");
                    }
                    options.Add(propagation);
                    break;
                case "tmpfs-size":
                    options.Add("size=" + Required(text, key, value));
                    break;
                case "tmpfs-mode":
                    string mode = Required(text, key, value);
                    if (!IsOctal(mode)) throw Bad(text, key, $"'{mode}' is not an octal mode such as 1777");
                    options.Add("mode=" + mode);
                    break;
                default:
                    throw Bad(text, key, "unknown field (known: type, source, target, readonly, bind-propagation, tmpfs-size, tmpfs-mode)");
            }
        }

        if (type is null) throw Bad(text, "type", "missing (type=bind or type=tmpfs)");
        if (target is null) throw Bad(text, "target", "missing");
        if (!target.StartsWith('/')) throw Bad(text, "target", $"'{target}' must be an absolute path");
        switch (type)
        {
            case "bind":
                if (source is null) throw Bad(text, "source", "missing (a bind mount needs source=<host path>)");
                source = resolvePath(source);
                if (!Directory.Exists(source) && !File.Exists(source)) throw Bad(text, "source", $"'{source}' does not exist");
                if (options.Any(o => o.StartsWith("size=", StringComparison.Ordinal) || o.StartsWith("mode=", StringComparison.Ordinal)))
                {
                    throw Bad(text, "tmpfs-size", "only a tmpfs mount takes tmpfs-size or tmpfs-mode");
                }
                break;
            case "tmpfs":
                if (source is not null) throw Bad(text, "source", "a tmpfs mount takes no source");
                break;
            default:
                throw Bad(text, "type", $"'{type}' is not supported (bind or tmpfs)");
        }
        return new MountRequest(type, target, source, readOnly, options.Count > 0 ? options : null);
    }

    private static string Required(string text, string key, string? value) =>
        string.IsNullOrEmpty(value) ? throw Bad(text, key, "needs a value") : value;

    private static bool ParseBool(string text, string key, string value) => value.ToLowerInvariant() switch
    {
        "true" or "1" => true,
        "false" or "0" => false,
        _ => throw Bad(text, key, $"'{value}' is not true or false"),
    };

    private static bool IsOctal(string s) => s.Length is > 0 and <= 4 && s.All(c => c is >= '0' and <= '7');

    private static ArgumentException Bad(string text, string field, string why) =>
        new($"Mount '{text}': {field}: {why}.");
}
