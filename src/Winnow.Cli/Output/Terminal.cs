using Spectre.Console;

namespace Winnow.Cli.Output;

/// <summary>A Spectre console bound to the current <see cref="Console.Out"/> (not a cached one), so redirection and tests see the output.</summary>
public static class Terminal
{
    public static IAnsiConsole Create() => AnsiConsole.Create(new AnsiConsoleSettings
    {
        Out = new AnsiConsoleOutput(Console.Out),
        Ansi = ConsoleMode.Interactive ? AnsiSupport.Detect : AnsiSupport.No,
        ColorSystem = ConsoleMode.Interactive ? ColorSystemSupport.Detect : ColorSystemSupport.NoColors,
        Interactive = ConsoleMode.Interactive ? InteractionSupport.Detect : InteractionSupport.No,
    });
}
