namespace Winnow.NN;

/// <summary>
/// Base of every layer and model. A module declares its parameters, buffers and children by name;
/// walking them gives PyTorch-style dotted names (<c>features.0.weight</c>) that masks, checkpoints
/// and reports use to address tensors. No reflection: registration is explicit.
/// </summary>
public abstract partial class Module
{
    private readonly List<KeyValuePair<string, Parameter>> _parameters = [];
    private readonly List<KeyValuePair<string, Tensor>> _buffers = [];
    private readonly List<KeyValuePair<string, Module>> _children = [];

    /// <summary>True in training mode (batch statistics, dropout on), false in evaluation mode.</summary>
    public bool Training { get; private set; } = true;

    /// <summary>Computes the module's output.</summary>
    public abstract Tensor Forward(Tensor input);

    /// <summary>Shorthand for <see cref="Forward"/>.</summary>
    public Tensor Call(Tensor input) => Forward(input);

    /// <summary>Switches this module and all descendants to training (true) or evaluation (false) mode.</summary>
    public Module Train(bool training = true)
    {
        Training = training;
        foreach (var child in _children)
        {
            child.Value.Train(training);
        }

        return this;
    }

    /// <summary>Switches to evaluation mode.</summary>
    public Module Eval() => Train(false);

    /// <summary>Registers a child module under <paramref name="name"/> and returns it.</summary>
    protected T RegisterModule<T>(string name, T module)
        where T : Module
    {
        CheckName(name);
        _children.Add(new(name, module));
        return module;
    }

    /// <summary>Registers a trainable parameter under <paramref name="name"/> and returns it.</summary>
    protected Parameter RegisterParameter(string name, Parameter parameter)
    {
        CheckName(name);
        _parameters.Add(new(name, parameter));
        return parameter;
    }

    /// <summary>Registers a non-trainable state tensor (running statistics) under <paramref name="name"/>.</summary>
    protected Tensor RegisterBuffer(string name, Tensor buffer)
    {
        CheckName(name);
        _buffers.Add(new(name, buffer));
        return buffer;
    }

    /// <summary>Direct children with their names.</summary>
    public IEnumerable<KeyValuePair<string, Module>> NamedChildren() => _children;

    /// <summary>This module and every descendant, with dotted names ("" for this module).</summary>
    public IEnumerable<KeyValuePair<string, Module>> NamedModules(string prefix = "")
    {
        yield return new(prefix, this);
        foreach (var (name, child) in _children)
        {
            foreach (var m in child.NamedModules(Join(prefix, name)))
            {
                yield return m;
            }
        }
    }

    /// <summary>All parameters with dotted names, in registration order (depth first).</summary>
    public IEnumerable<KeyValuePair<string, Parameter>> NamedParameters(string prefix = "")
    {
        foreach (var (name, p) in _parameters)
        {
            yield return new(Join(prefix, name), p);
        }

        foreach (var (name, child) in _children)
        {
            foreach (var p in child.NamedParameters(Join(prefix, name)))
            {
                yield return p;
            }
        }
    }

    /// <summary>All buffers with dotted names.</summary>
    public IEnumerable<KeyValuePair<string, Tensor>> NamedBuffers(string prefix = "")
    {
        foreach (var (name, b) in _buffers)
        {
            yield return new(Join(prefix, name), b);
        }

        foreach (var (name, child) in _children)
        {
            foreach (var b in child.NamedBuffers(Join(prefix, name)))
            {
                yield return b;
            }
        }
    }

    /// <summary>All parameters (no names).</summary>
    public IEnumerable<Parameter> Parameters() => NamedParameters().Select(kv => kv.Value);

    /// <summary>Number of scalar parameters.</summary>
    public long ParameterCount() => Parameters().Sum(p => (long)p.Length);

    /// <summary>Forgets every parameter's gradient.</summary>
    public void ZeroGrad()
    {
        foreach (var p in Parameters())
        {
            p.ZeroGrad();
        }
    }

    /// <summary>Names every parameter and buffer tensor after its dotted path (for messages and reports).</summary>
    public void NameTensors()
    {
        foreach (var (name, p) in NamedParameters())
        {
            p.Name = name;
        }

        foreach (var (name, b) in NamedBuffers())
        {
            b.Name = name;
        }
    }

    private static string Join(string prefix, string name) => prefix.Length == 0 ? name : prefix + "." + name;

    private void CheckName(string name)
    {
        if (string.IsNullOrEmpty(name) || name.Contains('.'))
        {
            throw new ArgumentException($"Module member name '{name}' is invalid: names must be non-empty and contain no '.'.", nameof(name));
        }

        if (_parameters.Any(kv => kv.Key == name) || _buffers.Any(kv => kv.Key == name) || _children.Any(kv => kv.Key == name))
        {
            throw new ArgumentException($"{GetType().Name} already has a member named '{name}'.", nameof(name));
        }
    }
}
