using System.CommandLine;
using System.CommandLine.Completions;
using System.CommandLine.Help;
using NnSimd.Cli.Commands;

// RootCommand names itself after the executable (NnSimd.Cli.dll, the NnSimd.Cli apphost or AOT binary), so help
// would say "NnSimd.Cli"; the command users type is "nnsimd" however it was started, so the root is named for it.
var root = new Command("nnsimd", "NnSimd: SIMD inference and training of small neural networks.")
{
    new HelpOption(),
    new VersionOption(),
    MnistCommand.Create(),
    ConvertCommand.Create(),
    InspectCommand.Create(),
    PredictCommand.Create(),
    TrainCommand.Create(),
    ShowCommand.Create(),
    PlotCommand.Create(),
    InfoCommand.Create(),
    BenchCommand.Create(),
};

return root.Parse(args).Invoke();
