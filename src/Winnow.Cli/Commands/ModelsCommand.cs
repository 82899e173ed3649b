using System.CommandLine;
using Spectre.Console;
using Winnow.Cli.Output;
using Winnow.NN.Models;

namespace Winnow.Cli.Commands;

/// <summary>`winnow models`: the zoo with parameter counts and FLOPs per image.</summary>
public static class ModelsCommand
{
    public static Command Create()
    {
        var command = new Command("models", "List the model zoo with parameter counts and FLOPs per image (on each model's default input).");
        command.SetAction(_ => Cli.Run(() =>
        {
            var table = new Table().AddColumns("model", "input", "parameters", "weights (conv+linear)", "FLOPs/image", "description");
            foreach (var info in ModelZoo.All)
            {
                var model = info.Factory(info.DefaultSpec(new Rng(0)));
                var stats = ModelStats.Measure(model, info.InChannels, info.InputSize);
                table.AddRow(info.Name, info.DefaultInputShape, Format.Invariant($"{stats.Parameters:N0}"), Format.Invariant($"{stats.Weights:N0}"), Human(stats.Flops), Markup.Escape(info.Description));
            }

            Terminal.Create().Write(table);
            Console.WriteLine("FLOPs = 2 × multiply-accumulates of conv and linear layers, one image, inference.");
            return 0;
        }));
        return command;
    }

    private static string Human(long flops) => flops switch
    {
        >= 1_000_000_000 => Format.Invariant($"{flops / 1e9:F2} G"),
        >= 1_000_000 => Format.Invariant($"{flops / 1e6:F2} M"),
        _ => Format.Invariant($"{flops / 1e3:F1} k"),
    };
}
