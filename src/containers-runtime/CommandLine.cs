namespace Containers.Cli;

/// <summary>
/// runc-style arguments: `--flag value`, `--flag=value`, `-f value`, boolean flags, then positionals.
/// Flags may follow positionals (runc accepts `kill ID KILL` and `delete --force ID` alike).
/// </summary>
public sealed class CommandLine
{
    private readonly Dictionary<string, List<string>> _values = new(StringComparer.Ordinal);
    private readonly HashSet<string> _switches = new(StringComparer.Ordinal);

    public List<string> Positionals { get; } = [];

    /// <param name="valueFlags">Long names (and one-letter aliases as "b=bundle") of flags that take a value.</param>
    /// <param name="boolFlags">Long names (and aliases) of flags that take none.</param>
    public static CommandLine Parse(IReadOnlyList<string> args, IEnumerable<string> valueFlags, IEnumerable<string> boolFlags, bool stopAtFirstPositional = false)
    {
        var values = Aliases(valueFlags);
        var bools = Aliases(boolFlags);
        var result = new CommandLine();
        for (int i = 0; i < args.Count; i++)
        {
            string arg = args[i];
            if (arg == "--")
            {
                result.Positionals.AddRange(args.Skip(i + 1));
                break;
            }
            if (arg.Length > 1 && arg[0] == '-' && !(stopAtFirstPositional && result.Positionals.Count > 0))
            {
                string name = arg.TrimStart('-');
                string? inline = null;
                int eq = name.IndexOf('=');
                if (eq >= 0)
                {
                    inline = name[(eq + 1)..];
                    name = name[..eq];
                }
                if (values.TryGetValue(name, out string? canonical))
                {
                    string value = inline ?? (i + 1 < args.Count ? args[++i] : throw new UsageException($"flag --{canonical} needs a value"));
                    result.Add(canonical, value);
                }
                else if (bools.TryGetValue(name, out canonical))
                {
                    if (inline is null or "true" or "1") result._switches.Add(canonical);
                    else if (inline is not ("false" or "0")) throw new UsageException($"flag --{canonical} takes true or false, not \"{inline}\"");
                }
                else
                {
                    throw new UsageException($"flag provided but not defined: -{name}");
                }
                continue;
            }
            result.Positionals.Add(arg);
        }
        return result;
    }

    public string? Value(string name) => _values.TryGetValue(name, out var list) ? list[^1] : null;

    public IReadOnlyList<string> Values(string name) => _values.TryGetValue(name, out var list) ? list : [];

    public bool Has(string name) => _switches.Contains(name);

    public int IntValue(string name, int fallback)
    {
        string? value = Value(name);
        if (value is null) return fallback;
        return int.TryParse(value, out int n) && n >= 0 ? n : throw new UsageException($"--{name}: \"{value}\" is not a non-negative integer");
    }

    /// <summary>The container id: the first positional, required.</summary>
    public string Id(string command) =>
        Positionals.Count > 0 ? Positionals[0] : throw new UsageException($"\"{command}\" requires a container id");

    private void Add(string name, string value)
    {
        if (!_values.TryGetValue(name, out var list)) _values[name] = list = [];
        list.Add(value);
    }

    private static Dictionary<string, string> Aliases(IEnumerable<string> specs)
    {
        var map = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (string spec in specs)
        {
            string[] parts = spec.Split('=');
            string canonical = parts[0];
            foreach (string p in parts) map[p] = canonical;
        }
        return map;
    }
}

/// <summary>Wrong command-line usage: exit code 1 with the message, like runc.</summary>
public sealed class UsageException(string message) : Exception(message);
