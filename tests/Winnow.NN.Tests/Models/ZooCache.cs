using System.Collections.Concurrent;
using Winnow.NN.Models;

namespace Winnow.NN.Tests.Models;

/// <summary>
/// One instance per zoo model on its default input (10 classes, seed 1), built once and shared by the
/// tests that only read structure or initial values, so the 10–15M-parameter VGGs and WRN-16-8 are not
/// rebuilt by every test. Tests that change parameter values must build their own model.
/// </summary>
internal static class ZooCache
{
    private static readonly ConcurrentDictionary<string, Lazy<Module>> s_models = new();

    public static Module Default(string name) => s_models.GetOrAdd(name, n => new Lazy<Module>(() =>
        ModelZoo.Create(n, ModelZoo.Get(n).DefaultSpec(new Rng(1))))).Value;
}
