namespace Winnow.Autograd;

/// <summary>
/// Counts multiply-accumulates of the dense linear ops (Linear, MatMul, Conv2d) run on this thread
/// while a counting scope is open: the analytic FLOPs of a model come from one batch-1 forward.
/// <code>using (var c = OpCounter.Begin()) { model.Forward(x); macs = c.Macs; }</code>
/// </summary>
public sealed class OpCounter : IDisposable
{
    [ThreadStatic] private static OpCounter? t_current;
    private readonly OpCounter? _outer;
    private readonly List<(string Op, string? Weight, long Macs)> _entries = [];

    private OpCounter(OpCounter? outer) => _outer = outer;

    /// <summary>Total multiply-accumulates recorded.</summary>
    public long Macs { get; private set; }

    /// <summary>Per-op records: op name, the weight tensor's name (if named), MACs.</summary>
    public IReadOnlyList<(string Op, string? Weight, long Macs)> Entries => _entries;

    /// <summary>Starts counting on this thread.</summary>
    public static OpCounter Begin()
    {
        var c = new OpCounter(t_current);
        t_current = c;
        return c;
    }

    internal static void Add(string op, Tensor? weight, long macs)
    {
        var c = t_current;
        if (c is null)
        {
            return;
        }

        c.Macs += macs;
        c._entries.Add((op, weight?.Name, macs));
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        if (t_current == this)
        {
            t_current = _outer;
        }
    }
}
