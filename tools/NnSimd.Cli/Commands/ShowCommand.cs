using System.CommandLine;
using System.Globalization;
using NnSimd.Cli.Checks;
using NnSimd.Cli.Data;
using NnSimd.Cli.Plots;
using NnSimd.IO;
using NnSimd.Model;

namespace NnSimd.Cli.Commands;

/// <summary>
/// <c>nnsimd show --index N -o digit.png</c>: draws MNIST test image N enlarged, titled with its label and,
/// when weights are given, the model's prediction and confidence (the book's <c>img_show</c>).
/// </summary>
internal static class ShowCommand
{
    public static Command Create()
    {
        var index = CommonOptions.Int("--index", 0, 0, int.MaxValue, "Which test image (0-based).");
        var output = CommonOptions.OutputFile("--output", ".png", "a PNG image", "The .png to write.", alias: "-o");
        var weights = CommonOptions.InputFile("--weights", "A model whose prediction to show in the title.", required: false);
        var data = CommonOptions.Data();
        var offline = CommonOptions.Offline();
        var command = new Command("show", "Draw an MNIST test image as a PNG.") { index, weights, data, offline };
        FileChecks.Add(command, [weights], output);
        command.SetAction(r => Cli.Guarded(() =>
            Run(DataDirectory.Resolve(r.GetValue(data), r.GetValue(offline)), r.GetValue(index), r.GetValue(output.Option)!, r.GetValue(weights))));
        return command;
    }

    private static int Run(DataDirectory data, int index, string output, string? weights)
    {
        MnistSet test = Mnist.Load(data.Get(KnownFiles.TestImages), data.Get(KnownFiles.TestLabels));
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

        string title = $"test image {index}: label {test.Labels[index]}";
        if (weights is not null)
        {
            Network network = ModelLoader.Load(weights);
            var probabilities = new float[network.Outputs];
            network.Predict(pixels, 255f, probabilities, network.CreateWorkspace());
            int predicted = Kernels.Softmax.ArgMax(probabilities);
            title += string.Create(CultureInfo.InvariantCulture, $", predicted {predicted} ({probabilities[predicted]:P1})");
        }

        var plot = new ScottPlot.Plot();
        var heatmap = plot.Add.Heatmap(image);
        heatmap.Colormap = new ScottPlot.Colormaps.Grayscale();
        plot.Title(title);
        plot.HideGrid();
        Png.Save(plot, output, 480, 520);
        Console.WriteLine($"{output}: {title}");
        return 0;
    }
}
