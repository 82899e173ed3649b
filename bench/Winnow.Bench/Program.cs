using Winnow.Bench;

// Benchmark suites by name; add a suite with one line here.
var suites = new Dictionary<string, Action<string[]>>(StringComparer.OrdinalIgnoreCase)
{
    ["sgemm"] = SgemmBench.Run,
    ["conv2d"] = Conv2dBench.Run,
    ["train_step"] = TrainStepBench.Run,
    ["sparse"] = SparseBench.Run,
    ["sparse_conv"] = SparseConvBench.Run,
    ["sparse_linear_profile"] = SparseLinearProfileBench.Run,
    ["sparse_lenet5_profile"] = SparseLeNet5ProfileBench.Run,
};

string name = args.Length > 0 ? args[0] : "";
string[] rest = args.Length > 1 ? args[1..] : [];
if (name.Equals("all", StringComparison.OrdinalIgnoreCase))
{
    foreach (Action<string[]> suite in suites.Values)
    {
        suite(rest);
    }

    return 0;
}

if (!suites.TryGetValue(name, out Action<string[]>? run))
{
    Console.Error.WriteLine($"Unknown benchmark suite '{name}'. Suites: {string.Join(", ", suites.Keys)}, all.");
    Console.Error.WriteLine("Usage: dotnet run -c Release --project bench/Winnow.Bench -- <suite> [suite arguments]");
    return 2;
}

run(rest);
return 0;
