using System.Globalization;
using System.Text;

namespace Winnow.Bench;

/// <summary>Prints one flat JSON object per line (invariant culture), the benchmarks' output format.</summary>
internal static class Json
{
    public static void Line(params (string Key, object Value)[] fields)
    {
        var sb = new StringBuilder("{");
        for (int i = 0; i < fields.Length; i++)
        {
            if (i > 0)
            {
                sb.Append(',');
            }

            sb.Append('"').Append(fields[i].Key).Append("\":");
            sb.Append(fields[i].Value switch
            {
                string s => "\"" + s.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal) + "\"",
                bool b => b ? "true" : "false",
                IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
                var o => "\"" + o + "\"",
            });
        }

        Console.WriteLine(sb.Append('}').ToString());
        Console.Out.Flush();
    }
}
