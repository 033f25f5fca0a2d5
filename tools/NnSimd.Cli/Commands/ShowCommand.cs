using System.CommandLine;
using System.Globalization;
using NnSimd.Cli.Checks;
using NnSimd.Data;
using NnSimd.Cli.Plots;
using NnSimd.IO;
using NnSimd.Model;

namespace NnSimd.Cli.Commands;

/// <summary>
/// <c>nnsimd show --index N -o digit.png</c>: draws test image N of MNIST or Fashion-MNIST enlarged, titled with
/// its label and, when weights are given, the model's prediction and confidence (the book's <c>img_show</c>);
/// Fashion-MNIST's labels are shown by name.
/// </summary>
internal static class ShowCommand
{
    public static Command Create()
    {
        var index = CommonOptions.Int("--index", 0, 0, int.MaxValue, "Which test image (0-based).");
        var output = CommonOptions.OutputFile("--output", ".png", "a PNG image", "The .png to write.", alias: "-o");
        var weights = CommonOptions.InputFile("--weights", "A model whose prediction to show in the title.", required: false);
        var dataset = new Option<string>("--dataset") { Description = "mnist or fashion-mnist.", DefaultValueFactory = _ => "mnist" };
        dataset.AcceptOnlyFromAmong("mnist", "fashion-mnist");
        var data = CommonOptions.Data();
        var offline = CommonOptions.Offline();
        var command = new Command("show", "Draw an MNIST or Fashion-MNIST test image as a PNG.") { index, weights, dataset, data, offline };
        FileChecks.Add(command, [weights], output);
        command.SetAction(r => Cli.Guarded(() =>
            Run(LoadTestSet(r.GetValue(dataset)!, r.GetValue(data), r.GetValue(offline)), r.GetValue(dataset)!, r.GetValue(index), r.GetValue(output.Option)!, r.GetValue(weights))));
        return command;
    }

    private static MnistSet LoadTestSet(string dataset, string? dataOption, bool offline)
    {
        if (dataset == "fashion-mnist")
        {
            string dir = dataOption ?? TrainCommand.FashionDirectory;
            if (!File.Exists(Path.Combine(dir, Mnist.TestImages)))
            {
                throw new FileNotFoundException($"Fashion-MNIST not found in {dir}: apt-get install dataset-fashion-mnist, or pass --data.");
            }

            return Mnist.Load(dir, train: false);
        }

        DataDirectory data = DataDirectory.Resolve(dataOption, offline);
        return Mnist.Load(data.Get(KnownFiles.TestImages), data.Get(KnownFiles.TestLabels));
    }

    private static int Run(MnistSet test, string dataset, int index, string output, string? weights)
    {
        if (index < 0 || index >= test.Count)
        {
            return Cli.Fail($"--index {index} is outside 0..{test.Count - 1}.");
        }

        int px = test.PixelsPerImage;
        ReadOnlySpan<byte> pixels = test.Pixels.AsSpan(index * px, px);
        var image = new double[test.Rows, test.Columns];
        for (int r = 0; r < test.Rows; r++)
        {
            for (int c = 0; c < test.Columns; c++)
            {
                image[r, c] = pixels[r * test.Columns + c];
            }
        }

        string heading = $"{(dataset == "fashion-mnist" ? "Fashion-MNIST" : "MNIST")} test image {index}";
        string caption = $"label {ClassNames.Of(dataset, test.Labels[index])}";
        if (weights is not null)
        {
            Network network = ModelLoader.Load(weights);
            var probabilities = new float[network.Outputs];
            network.Predict(pixels, 255f, probabilities, network.CreateWorkspace());
            int predicted = Kernels.Softmax.ArgMax(probabilities);
            caption += string.Create(CultureInfo.InvariantCulture, $", predicted {ClassNames.Of(dataset, predicted)} ({probabilities[predicted] * 100:F1}%)");
        }

        var plot = new ScottPlot.Plot();
        var heatmap = plot.Add.Heatmap(image);
        heatmap.Colormap = new ScottPlot.Colormaps.Grayscale();
        // Two lines: a class name and a prediction do not fit beside the heading in the image's width.
        plot.Title($"{heading}\n{caption}");
        plot.HideGrid();
        plot.Axes.SquareUnits();
        foreach (ScottPlot.IAxis axis in new ScottPlot.IAxis[] { plot.Axes.Left, plot.Axes.Right, plot.Axes.Bottom, plot.Axes.Top })
        {
            axis.IsVisible = false;   // pixel coordinates say nothing here
        }

        Png.Save(plot, output, 480, 520);
        string title = $"{heading}: {caption}";
        Console.WriteLine($"{output}: {title}");
        return 0;
    }
}
