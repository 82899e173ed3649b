using Winnow.Settings;

namespace Winnow.NN.Data;

public static partial class DatasetCatalog
{
    /// <summary>The catalogued names as setting choices (for --help and did-you-mean).</summary>
    public static IReadOnlyList<SettingChoice> Choices => All.Select(s => new SettingChoice(s.Name, s.Title)).ToArray();
}
