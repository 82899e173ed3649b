using System.CommandLine;
using Winnow.Cli.Commands;

namespace Winnow.Cli;

/// <summary>Builds the `winnow` root command (one verb per file in Commands/).</summary>
public static class CliApp
{
    public static RootCommand Root()
    {
        var root = new RootCommand("Winnow: find sparse neural networks and run them on a pure-C# engine.");
        root.Subcommands.Add(TrainCommand.Create());
        root.Subcommands.Add(EvalCommand.Create());
        root.Subcommands.Add(PruneCommand.Create());
        root.Subcommands.Add(LotteryCommand.Create());
        root.Subcommands.Add(CsCommand.Create());
        root.Subcommands.Add(SparseTrainCommand.Create());
        root.Subcommands.Add(SubnetCommand.Create());
        root.Subcommands.Add(InfoCommand.Create());
        root.Subcommands.Add(ModelsCommand.Create());
        root.Subcommands.Add(DatasetsCommand.Create());
        root.Subcommands.Add(BenchModelCommand.Create());
        return root;
    }
}
