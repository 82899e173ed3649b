namespace Winnow.Settings;

/// <summary>"Did you mean …?" for misspelt names (models, datasets, settings, tensors), by Levenshtein distance.</summary>
public static class NameSuggestions
{
    /// <summary>Minimum number of single-character insertions, deletions and substitutions turning <paramref name="a"/> into <paramref name="b"/>.</summary>
    public static int Distance(string a, string b)
    {
        var previous = new int[b.Length + 1];
        var current = new int[b.Length + 1];
        for (int j = 0; j <= b.Length; j++)
        {
            previous[j] = j;
        }

        for (int i = 1; i <= a.Length; i++)
        {
            current[0] = i;
            for (int j = 1; j <= b.Length; j++)
            {
                int cost = a[i - 1] == b[j - 1] ? 0 : 1;
                current[j] = Math.Min(Math.Min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + cost);
            }

            (previous, current) = (current, previous);
        }

        return previous[b.Length];
    }

    /// <summary>
    /// The candidate nearest to <paramref name="input"/> (case-insensitive; first one on ties), or
    /// null when even the nearest is too far to be a plausible typo (more than max(2, length/2) edits).
    /// </summary>
    public static string? Nearest(string input, IEnumerable<string> candidates)
    {
        string? best = null;
        int bestDistance = int.MaxValue;
        foreach (var c in candidates)
        {
            int d = Distance(input.ToLowerInvariant(), c.ToLowerInvariant());
            if (d < bestDistance)
            {
                (best, bestDistance) = (c, d);
            }
        }

        return best is not null && bestDistance <= Math.Max(2, input.Length / 2) ? best : null;
    }

    /// <summary>" Did you mean 'x'?" for the nearest plausible candidate, or "".</summary>
    public static string DidYouMean(string input, IEnumerable<string> candidates)
        => Nearest(input, candidates) is { } s ? $" Did you mean '{s}'?" : "";
}
