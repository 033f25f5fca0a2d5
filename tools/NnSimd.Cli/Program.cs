using NnSimd.Cli;

return CliApp.Run(args);
