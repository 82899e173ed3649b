namespace Winnow.Autograd;

/// <summary>
/// A differentiable op with a user-written backward, for gradients the chain rule does not give
/// (straight-through estimators of biprop and edge-popup, surrogate gradients). Subclass it,
/// compute the output in <see cref="Forward"/> and the input gradients in <see cref="Backward"/>.
/// </summary>
public abstract class CustomOp
{
    /// <summary>Name used in graph dumps and error messages.</summary>
    public virtual string Name => GetType().Name;

    /// <summary>Runs the op; records it in the graph if any input requires grad.</summary>
    public Tensor Apply(params Tensor[] inputs)
    {
        Tensor output;
        using (GradMode.NoGrad())
        {
            output = Forward(inputs);
        }

        if (Graph.ShouldRecord(inputs))
        {
            Graph.Record(output, Name, inputs, g =>
            {
                var grads = Backward(inputs, output, g);
                if (grads.Length != inputs.Length)
                {
                    throw new InvalidOperationException($"{Name}.Backward returned {grads.Length} gradients for {inputs.Length} inputs; return one per input (null where there is none).");
                }

                for (int i = 0; i < inputs.Length; i++)
                {
                    var gi = grads[i];
                    var input = inputs[i];
                    if (gi is null || !input.RequiresGrad)
                    {
                        continue;
                    }

                    if (gi.Length != input.Length)
                    {
                        throw new InvalidOperationException($"{Name}.Backward: gradient {i} has shape {Tensor.ShapeString(gi.Shape)} but input {i} has shape {Tensor.ShapeString(input.Shape)}.");
                    }

                    var target = input.GradTarget(out bool acc);
                    if (acc)
                    {
                        System.Numerics.Tensors.TensorPrimitives.Add(target, gi.Data, target);
                    }
                    else
                    {
                        gi.Data.CopyTo(target);
                    }
                }
            });
        }

        return output;
    }

    /// <summary>Computes the output (runs with recording disabled).</summary>
    protected abstract Tensor Forward(IReadOnlyList<Tensor> inputs);

    /// <summary>Returns one gradient per input (null for inputs that get none), given the output's gradient.</summary>
    protected abstract Tensor?[] Backward(IReadOnlyList<Tensor> inputs, Tensor output, Tensor gradOutput);
}
