using System;
using System.Collections.Generic;

namespace Containers.Generators.Common;

/// <summary>"Did you mean …?" by edit distance, for diagnostics about unknown names.</summary>
public static class NameSuggester
{
    /// <summary>The closest candidate within a distance of a third of the name (at least 1, at most 3), or null.</summary>
    public static string? Suggest(string name, IEnumerable<string> candidates)
    {
        int limit = Math.Max(1, Math.Min(3, name.Length / 3));
        string? best = null;
        int bestDistance = int.MaxValue;
        foreach (string candidate in candidates)
        {
            int distance = Distance(name, candidate);
            if (distance <= limit && distance < bestDistance)
            {
                best = candidate;
                bestDistance = distance;
            }
        }

        return best;
    }

    /// <summary>Levenshtein distance, case-insensitive, two rows of memory.</summary>
    public static int Distance(string a, string b)
    {
        int[] previous = new int[b.Length + 1];
        int[] current = new int[b.Length + 1];
        for (int j = 0; j <= b.Length; j++)
        {
            previous[j] = j;
        }

        for (int i = 1; i <= a.Length; i++)
        {
            current[0] = i;
            for (int j = 1; j <= b.Length; j++)
            {
                int cost = char.ToLowerInvariant(a[i - 1]) == char.ToLowerInvariant(b[j - 1]) ? 0 : 1;
                current[j] = Math.Min(Math.Min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + cost);
            }

            (previous, current) = (current, previous);
        }

        return previous[b.Length];
    }
}
