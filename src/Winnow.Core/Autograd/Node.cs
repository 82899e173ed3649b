namespace Winnow.Autograd;

/// <summary>Computes input gradients from the output gradient of one recorded op.</summary>
public delegate void BackwardFunction(Tensor gradOutput);

/// <summary>
/// One recorded op in the autograd graph: its inputs and the closure that pushes the output's
/// gradient into theirs (micrograd's <c>_backward</c>). Bookkeeping only; the maths lives in the op.
/// </summary>
public sealed class Node
{
    internal Node(string opName, Tensor[] inputs, BackwardFunction backward)
    {
        OpName = opName;
        Inputs = inputs;
        Backward = backward;
    }

    /// <summary>The op's name, for error messages and graph dumps.</summary>
    public string OpName { get; }

    /// <summary>The tensors the op read.</summary>
    public IReadOnlyList<Tensor> Inputs { get; }

    internal BackwardFunction Backward { get; }
}
