using System.CommandLine;
using Winnow.Cli.Commands;

var root = new RootCommand("Winnow: find sparse neural networks and run them on a pure-C# engine.");
root.Subcommands.Add(TrainCommand.Create());
root.Subcommands.Add(EvalCommand.Create());
root.Subcommands.Add(ModelsCommand.Create());
root.Subcommands.Add(DatasetsCommand.Create());
return await root.Parse(args).InvokeAsync();
