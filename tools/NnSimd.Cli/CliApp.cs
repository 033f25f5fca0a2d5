using System.CommandLine;
using System.CommandLine.Help;
using System.CommandLine.Parsing;
using NnSimd.Cli.Commands;

namespace NnSimd.Cli;

/// <summary>The nnsimd command tree, and how a command line becomes an exit code.</summary>
internal static class CliApp
{
    /// <summary>
    /// The command tree. A RootCommand names itself after the executable (NnSimd.Cli.dll, the apphost or the AOT
    /// binary), so help would say "NnSimd.Cli"; the command users type is "nnsimd" however it was started.
    /// </summary>
    public static Command CreateRoot() => new("nnsimd", "NnSimd: SIMD inference and training of small neural networks.")
    {
        new HelpOption(),
        new VersionOption(),
        MnistCommand.Create(),
        ConvertCommand.Create(),
        ExportCommand.Create(),
        QuantizeCommand.Create(),
        InspectCommand.Create(),
        PredictCommand.Create(),
        TrainCommand.Create(),
        ShowCommand.Create(),
        PlotCommand.Create(),
        InfoCommand.Create(),
        BenchCommand.Create(),
    };

    /// <summary>
    /// Parses and runs <paramref name="args"/>. A command line that does not parse or fails its checks gets one
    /// line per problem on stderr and exit code 1, before anything is read or written (the usage is behind
    /// <c>--help</c>, not printed over the error).
    /// </summary>
    public static int Run(string[] args)
    {
        if (SimdSettingProblem() is { } simd)
        {
            return Cli.Fail(simd);
        }

        ParseResult parsed = CreateRoot().Parse(args);
        if (parsed.Errors.Count > 0)
        {
            foreach (ParseError error in parsed.Errors)
            {
                Cli.Fail(error.Message);
            }

            return 1;
        }

        return parsed.Invoke();
    }

    /// <summary>
    /// The library reads NNSIMD_SIMD once, as its kernels are first used, and refuses a value it does not know;
    /// checking first turns that into one line instead of a type initialiser's stack trace.
    /// </summary>
    private static string? SimdSettingProblem()
    {
        try
        {
            _ = SimdInfo.Path;
            return null;
        }
        catch (TypeInitializationException e) when (e.InnerException is InvalidOperationException inner)
        {
            return inner.Message + " Unset it to use the widest path the machine has.";
        }
    }
}
