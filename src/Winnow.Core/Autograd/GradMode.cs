namespace Winnow.Autograd;

/// <summary>
/// Thread-local switch for recording ops. <c>using (GradMode.NoGrad()) { … }</c> runs code without
/// building a graph (evaluation, optimizer updates, mask edits).
/// </summary>
public static class GradMode
{
    [ThreadStatic] private static int t_disabledDepth;

    /// <summary>True when ops on this thread record the graph.</summary>
    public static bool IsEnabled => t_disabledDepth == 0;

    /// <summary>Disables recording until the returned handle is disposed.</summary>
    public static NoGradScope NoGrad()
    {
        t_disabledDepth++;
        return new NoGradScope(true);
    }

    /// <summary>Restores recording when disposed.</summary>
    public readonly struct NoGradScope(bool active) : IDisposable
    {
        /// <inheritdoc/>
        public void Dispose()
        {
            if (active)
            {
                t_disabledDepth--;
            }
        }
    }
}
