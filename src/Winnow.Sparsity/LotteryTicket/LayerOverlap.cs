namespace Winnow.Sparsity.LotteryTicket;

/// <summary>
/// Overlap of two masks of one tensor: kept counts, the intersection, Jaccard |A∩B|/|A∪B| and the
/// containments |A∩B|/|A| and |A∩B|/|B|, plus the Jaccard two independent random masks of the same
/// densities would have on average, d_A·d_B / (d_A + d_B − d_A·d_B).
/// </summary>
public sealed record LayerOverlap(string Name, long KeptA, long KeptB, long Both, long Total)
{
    /// <summary>Kept in A or B.</summary>
    public long Either => KeptA + KeptB - Both;

    /// <summary>|A∩B| / |A∪B| (1 when both are empty).</summary>
    public double Jaccard => Either == 0 ? 1 : (double)Both / Either;

    /// <summary>Fraction of A's kept weights that B also keeps.</summary>
    public double AInB => KeptA == 0 ? 1 : (double)Both / KeptA;

    /// <summary>Fraction of B's kept weights that A also keeps.</summary>
    public double BInA => KeptB == 0 ? 1 : (double)Both / KeptB;

    /// <summary>Expected Jaccard of independent random masks with A's and B's densities.</summary>
    public double RandomJaccard
    {
        get
        {
            double a = Total == 0 ? 1 : (double)KeptA / Total, b = Total == 0 ? 1 : (double)KeptB / Total;
            double union = a + b - a * b;
            return union == 0 ? 1 : a * b / union;
        }
    }
}
