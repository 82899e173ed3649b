namespace Winnow.NN.Models;

/// <summary>Levenshtein distance (unit-cost insert, delete, substitute), case-insensitive, for "did you mean" hints.</summary>
internal static class EditDistance
{
    public static int Levenshtein(string a, string b)
    {
        a = a.ToLowerInvariant();
        b = b.ToLowerInvariant();
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
                int substitute = previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1);
                current[j] = Math.Min(substitute, Math.Min(previous[j] + 1, current[j - 1] + 1));
            }

            (previous, current) = (current, previous);
        }

        return previous[b.Length];
    }

    /// <summary>The candidate closest to <paramref name="name"/> (the first one on ties).</summary>
    public static string Nearest(string name, IEnumerable<string> candidates)
        => candidates.MinBy(c => Levenshtein(name, c)) ?? throw new ArgumentException("No candidates to compare with.", nameof(candidates));
}
