namespace Containers.Image;

/// <summary>Cleans tar entry names into components below the layer root, refusing ones that climb above it.</summary>
internal static class LayerPath
{
    /// <summary><c>./a//b/</c> → [a, b]; <c>/abs</c> → [abs] (contained); <c>../x</c> → refused.</summary>
    public static List<string> Split(string name, string entry)
    {
        if (name.Contains('\0'))
        {
            throw new LayerFormatException(entry, "the name contains a NUL byte");
        }

        var parts = new List<string>();
        foreach (string part in name.Split('/'))
        {
            if (part.Length == 0 || part == ".")
            {
                continue;
            }

            if (part == "..")
            {
                if (parts.Count == 0)
                {
                    throw new LayerFormatException(entry, "the path climbs above the layer root");
                }

                parts.RemoveAt(parts.Count - 1);
                continue;
            }

            parts.Add(part);
        }

        return parts;
    }

    public static string Join(IEnumerable<string> parts) => string.Join('/', parts);
}
