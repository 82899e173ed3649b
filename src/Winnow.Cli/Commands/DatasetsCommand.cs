using System.CommandLine;
using Spectre.Console;
using Winnow.Cli.Output;
using Winnow.NN.Data;

namespace Winnow.Cli.Commands;

/// <summary>`winnow datasets`: known datasets and where each was found (or how to get it).</summary>
public static class DatasetsCommand
{
    public static Command Create()
    {
        var command = new Command("datasets", "List the known datasets and where Winnow finds them.");
        var data = new Option<string>("--data") { Description = "Also look in this directory.", HelpName = "dir" };
        command.Options.Add(data);
        command.SetAction(result => Cli.Run(() =>
        {
            var table = new Table().AddColumns("dataset", "images", "classes", "found in");
            foreach (var name in DatasetCatalog.Names)
            {
                var spec = DatasetCatalog.Get(name);
                string where;
                try
                {
                    var loc = DatasetCatalog.Locate(name, result.GetValue(data));
                    where = loc.Source == DatasetSource.BundledSample ? $"{loc.Directory} (bundled sample)" : loc.Directory;
                }
                catch (DataException)
                {
                    where = "not found — " + spec.HowToGet;
                }

                table.AddRow(name, $"{spec.Channels}×{spec.Height}×{spec.Width}", spec.Classes.ToString(System.Globalization.CultureInfo.InvariantCulture), Markup.Escape(where));
            }

            Terminal.Create().Write(table);
            return 0;
        }));
        return command;
    }
}
