namespace Winnow.NN.Data;

/// <summary>Edit distance, used to suggest the nearest known name for a misspelt one.</summary>
internal static class Levenshtein
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

    /// <summary>The candidate nearest to <paramref name="name"/> (first one on ties).</summary>
    public static string Nearest(string name, IEnumerable<string> candidates)
    {
        string best = "";
        int bestDistance = int.MaxValue;
        foreach (string candidate in candidates)
        {
            int d = Distance(name, candidate);
            if (d < bestDistance)
            {
                (best, bestDistance) = (candidate, d);
            }
        }

        return best;
    }
}
