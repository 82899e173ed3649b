namespace Winnow.Autograd;

/// <summary>Records ops and runs the reverse sweep: topological order, then each node's backward.</summary>
public static class Graph
{
    [ThreadStatic] private static List<Tensor>? t_order;
    [ThreadStatic] private static HashSet<Tensor>? t_seen;
    [ThreadStatic] private static Stack<(Tensor, int)>? t_stack;

    /// <summary>True when an op over <paramref name="a"/> must be recorded.</summary>
    public static bool ShouldRecord(Tensor a) => GradMode.IsEnabled && a.RequiresGrad;

    /// <summary>True when an op over the inputs must be recorded.</summary>
    public static bool ShouldRecord(Tensor a, Tensor b) => GradMode.IsEnabled && (a.RequiresGrad || b.RequiresGrad);

    /// <summary>True when an op over the inputs must be recorded.</summary>
    public static bool ShouldRecord(ReadOnlySpan<Tensor?> inputs)
    {
        if (!GradMode.IsEnabled)
        {
            return false;
        }

        foreach (var t in inputs)
        {
            if (t is not null && t.RequiresGrad)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Marks <paramref name="output"/> as produced by an op whose backward is <paramref name="backward"/>.</summary>
    public static void Record(Tensor output, string opName, Tensor[] inputs, BackwardFunction backward)
    {
        output.RequiresGrad = true;
        output.GradFn = new Node(opName, inputs, backward);
    }

    /// <summary>
    /// Back-propagates from <paramref name="root"/>: its gradient is seeded with ones (or with
    /// <paramref name="seed"/>), and every tensor upstream that requires grad receives its
    /// gradient accumulated (+=) into <see cref="Tensor.Grad"/>. Intermediate gradients are freed as
    /// soon as they have been used unless the tensor <see cref="Tensor.RetainsGrad"/>.
    /// </summary>
    /// <exception cref="InvalidOperationException">The root does not require grad.</exception>
    public static void Backward(Tensor root, Tensor? seed = null)
    {
        if (!root.RequiresGrad)
        {
            throw new InvalidOperationException($"Backward() was called on a tensor {Tensor.ShapeString(root.Shape)} that does not require grad: no input of the ops that produced it requires grad (or it was computed under GradMode.NoGrad()).");
        }

        var order = TopologicalOrder(root);
        var rootGrad = root.GradTarget(out bool acc);
        if (seed is null)
        {
            if (acc)
            {
                for (int i = 0; i < rootGrad.Length; i++)
                {
                    rootGrad[i] += 1f;
                }
            }
            else
            {
                rootGrad.Fill(1f);
            }
        }
        else
        {
            if (seed.Length != root.Length)
            {
                throw new ArgumentException($"Backward: the seed gradient has shape {Tensor.ShapeString(seed.Shape)} but the root has shape {Tensor.ShapeString(root.Shape)}.", nameof(seed));
            }

            if (acc)
            {
                System.Numerics.Tensors.TensorPrimitives.Add(rootGrad, seed.Data, rootGrad);
            }
            else
            {
                seed.Data.CopyTo(rootGrad);
            }
        }

        for (int i = order.Count - 1; i >= 0; i--)
        {
            var t = order[i];
            var node = t.GradFn!;
            var g = t.Grad;
            if (g is not null)
            {
                node.Backward(g);
            }

            if (!t.RetainsGrad)
            {
                t.ReleaseGrad();
            }
        }

        order.Clear();
    }

    // Non-leaf tensors reachable from root, in topological order (inputs before outputs).
    private static List<Tensor> TopologicalOrder(Tensor root)
    {
        var order = t_order ??= new List<Tensor>(256);
        var seen = t_seen ??= new HashSet<Tensor>(ReferenceEqualityComparer.Instance);
        var stack = t_stack ??= new Stack<(Tensor, int)>();
        order.Clear();
        seen.Clear();
        stack.Clear();
        if (root.GradFn is null)
        {
            return order;
        }

        stack.Push((root, 0));
        seen.Add(root);
        while (stack.Count > 0)
        {
            var (t, next) = stack.Pop();
            var inputs = t.GradFn!.Inputs;
            bool descended = false;
            for (int i = next; i < inputs.Count; i++)
            {
                var input = inputs[i];
                if (input.GradFn is not null && input.RequiresGrad && seen.Add(input))
                {
                    stack.Push((t, i + 1));
                    stack.Push((input, 0));
                    descended = true;
                    break;
                }
            }

            if (!descended)
            {
                order.Add(t);
            }
        }

        seen.Clear();
        return order;
    }
}
