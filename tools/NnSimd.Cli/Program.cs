using System.CommandLine;
using NnSimd.Cli.Commands;

var root = new RootCommand("NnSimd: SIMD inference and training of small neural networks.")
{
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
