using Winnow.Cli;

return await CliApp.Root().Parse(args).InvokeAsync();
