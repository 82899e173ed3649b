using Winnow.Autograd;

namespace Winnow;

public static partial class Ops
{
    // A reshaped view has the same element order as its source, so its gradient is the source's
    // gradient reinterpreted: add it element by element.
    internal static void RecordView(Tensor source, Tensor view)
    {
        if (!Graph.ShouldRecord(source))
        {
            return;
        }

        Graph.Record(view, "Reshape", [source], g =>
        {
            var dx = source.GradTarget(out bool acc);
            AddOrCopy(dx, g.Data, acc);
        });
    }
}
