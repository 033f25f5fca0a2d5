using System.CommandLine;
using NnSimd.Cli.Plots;

namespace NnSimd.Cli.Commands;

/// <summary><c>nnsimd plot activations -o act.png</c>: the book's figures, computed with NnSimd's own kernels.</summary>
internal static class PlotCommand
{
    public static Command Create()
    {
        var plot = new Command("plot", "Draw figures as PNG.");
        var output = CommonOptions.OutputFile("--output", ".png", "a PNG image", "The .png to write.", alias: "-o");
        var activations = new Command("activations", "Step, sigmoid, ReLU and tanh over [-5, 5].");
        Checks.FileChecks.Add(activations, [], output);
        activations.SetAction(r => Cli.Guarded(() => Activations(r.GetValue(output.Option)!)));
        plot.Subcommands.Add(activations);

        var vanishingOutput = CommonOptions.OutputFile("--output", ".png", "a PNG image", "The .png to write.", alias: "-o");
        var data = CommonOptions.Data();
        var offline = CommonOptions.Offline();
        var json = CommonOptions.Json();
        var vanishing = new Command("vanishing", "Mean |gradient| per layer of a deep net at initialisation: sigmoid against ReLU.")
        {
            data, offline, json,
        };
        Checks.FileChecks.Add(vanishing, [], vanishingOutput);
        vanishing.SetAction(r => Cli.Guarded(() =>
            Vanishing(Data.DataDirectory.Resolve(r.GetValue(data), r.GetValue(offline)), r.GetValue(vanishingOutput.Option)!, r.GetValue(json))));
        plot.Subcommands.Add(vanishing);
        return plot;
    }

    /// <summary>
    /// 784, six hidden layers of 100, 10; one batch of 100 MNIST test images; Xavier for sigmoid, He for ReLU.
    /// The book's claim: with sigmoid the gradient shrinks layer by layer towards the input (its derivative is
    /// at most 1/4); with ReLU it does not.
    /// </summary>
    private static int Vanishing(Data.DataDirectory data, string output, bool json)
    {
        NnSimd.IO.MnistSet test = NnSimd.IO.Mnist.Load(data.Get(Data.KnownFiles.TestImages), data.Get(Data.KnownFiles.TestLabels));
        float[] x = test.Images().AsSpan(0, 100 * 784).ToArray();
        byte[] labels = test.Labels[..100];
        int[] widths = [784, 100, 100, 100, 100, 100, 100, 10];
        double[] sigmoid = new Training.Trainer(widths, Activation.Sigmoid, new Training.TrainerOptions { Init = Training.Init.Xavier }).MeanAbsWeightGradients(x, labels);
        double[] relu = new Training.Trainer(widths, Activation.Relu, new Training.TrainerOptions { Init = Training.Init.He }).MeanAbsWeightGradients(x, labels);

        var plot = new ScottPlot.Plot();
        double[] positions = Enumerable.Range(1, sigmoid.Length).Select(i => (double)i).ToArray();
        // log10: the sigmoid curve spans five orders of magnitude.
        var s = plot.Add.Scatter(positions, sigmoid.Select(Math.Log10).ToArray());
        s.LegendText = "sigmoid (Xavier)";
        var r = plot.Add.Scatter(positions, relu.Select(Math.Log10).ToArray());
        r.LegendText = "ReLU (He)";
        foreach (var line in new[] { s, r })
        {
            line.LineWidth = 2;
            line.MarkerSize = 8;
        }

        plot.Title("Mean |dL/dW| per layer at initialisation (784-100x6-10, one batch)");
        plot.XLabel("layer (1 = nearest the input)");
        plot.YLabel("mean |gradient| (log scale)");
        plot.Axes.Bottom.TickGenerator = Plots.Ticks.Integers(1, sigmoid.Length);
        plot.Axes.Left.TickGenerator = Plots.Ticks.Decades(sigmoid.Concat(relu).Select(Math.Log10));
        plot.ShowLegend(ScottPlot.Alignment.UpperLeft);
        Png.Save(plot, output, 720, 480);

        if (json)
        {
            Console.WriteLine(Json.Object([("layers", widths.Length - 1), ("sigmoid", sigmoid), ("relu", relu), ("plot", output)]));
            return 0;
        }

        Console.WriteLine($"{"layer",5} {"sigmoid",12} {"relu",12}");
        for (int i = 0; i < sigmoid.Length; i++)
        {
            Console.WriteLine(string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{i + 1,5} {sigmoid[i],12:E3} {relu[i],12:E3}"));
        }

        Console.WriteLine($"{output}: written");
        return 0;
    }

    private static int Activations(string output)
    {
        float[] x = Enumerable.Range(-500, 1001).Select(i => i / 100f).ToArray();
        double[] xs = x.Select(v => (double)v).ToArray();
        var plot = new ScottPlot.Plot();
        foreach ((string name, Activation act) in new[] { ("sigmoid", Activation.Sigmoid), ("ReLU", Activation.Relu), ("tanh", Activation.Tanh), ("step", Activation.Step) })
        {
            var y = new float[x.Length];
            Kernels.Activations.Apply(act, x, y);
            var line = plot.Add.ScatterLine(xs, y.Select(v => (double)v).ToArray());
            line.LegendText = name;
            line.LineWidth = 2;
            if (act == Activation.Step)
            {
                // Drawn last and dashed: below 0 it lies on ReLU's line, which would hide it.
                line.LinePattern = ScottPlot.LinePattern.Dashed;
            }
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
