using System.CommandLine;
using NnSimd.Cli.Plots;
using NnSimd.Kernels;

namespace NnSimd.Cli.Commands;

/// <summary><c>nnsimd plot activations -o act.png</c>: the book's figures, computed with NnSimd's own kernels.</summary>
internal static class PlotCommand
{
    public static Command Create()
    {
        var plot = new Command("plot", "Draw figures as PNG.");
        var output = new Option<string>("--output", "-o") { Description = "The .png to write.", Required = true };
        var activations = new Command("activations", "Step, sigmoid, ReLU and tanh over [-5, 5].") { output };
        activations.SetAction(r => Cli.Guarded(() => Activations(r.GetValue(output)!)));
        plot.Subcommands.Add(activations);
        return plot;
    }

    private static int Activations(string output)
    {
        float[] x = Enumerable.Range(-500, 1001).Select(i => i / 100f).ToArray();
        double[] xs = x.Select(v => (double)v).ToArray();
        var plot = new ScottPlot.Plot();
        foreach ((string name, Activation act) in new[] { ("step", Activation.Step), ("sigmoid", Activation.Sigmoid), ("ReLU", Activation.Relu), ("tanh", Activation.Tanh) })
        {
            var y = new float[x.Length];
            Kernels.Activations.Apply(act, x, y);
            var line = plot.Add.ScatterLine(xs, y.Select(v => (double)v).ToArray());
            line.LegendText = name;
            line.LineWidth = 2;
        }

        plot.Title("Activation functions");
        plot.XLabel("x");
        plot.YLabel("h(x)");
        plot.Axes.SetLimits(-5, 5, -1.2, 5.2);
        plot.ShowLegend(ScottPlot.Alignment.UpperLeft);
        Png.Save(plot, output, 640, 480);
        Console.WriteLine($"{output}: step, sigmoid, ReLU, tanh over [-5, 5]");
        return 0;
    }
}
