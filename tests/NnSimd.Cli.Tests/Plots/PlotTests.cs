using NnSimd.Cli.Plots;
using NnSimd.Data;
using NnSimd.Model;
using NnSimd.Training;
using Xunit;

namespace NnSimd.Cli.Tests.Plots;

/// <summary>The figures the CLI draws.</summary>
public class PlotTests
{
    private static readonly byte[] PngSignature = [0x89, (byte)'P', (byte)'N', (byte)'G'];

    [Theory]
    [InlineData(1, new[] { 1 })]
    [InlineData(3, new[] { 1, 2, 3 })]
    [InlineData(12, new[] { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12 })]
    [InlineData(20, new[] { 2, 4, 6, 8, 10, 12, 14, 16, 18, 20 })]
    [InlineData(50, new[] { 5, 10, 15, 20, 25, 30, 35, 40, 45, 50 })]
    [InlineData(200, new[] { 20, 40, 60, 80, 100, 120, 140, 160, 180, 200 })]
    public void Epoch_and_layer_axes_tick_whole_numbers_only(int last, int[] expected)
    {
        Assert.Equal(expected, Ticks.WholeNumbers(1, last));
    }

    [Fact]
    public void Training_curves_of_a_single_epoch_are_drawn()
    {
        byte[] png = TrainingCurves.Render([(0.52, 0.84, 0.83)], "one epoch", Loss.CrossEntropy);
        Assert.Equal(PngSignature, png[..4]);
    }

    [Fact]
    public void A_png_replaces_the_old_file_whole_and_leaves_no_temporary()
    {
        string dir = TestData.TempDirectory();
        string path = Path.Combine(dir, "figure.png");
        File.WriteAllText(path, "old");
        byte[] png = TrainingCurves.Render([(0.52, 0.84, 0.83)], "one epoch", Loss.CrossEntropy);
        Png.Write(path, png);
        Assert.Equal(png, File.ReadAllBytes(path));
        Assert.Equal([path], Directory.GetFiles(dir));
        Assert.Throws<DirectoryNotFoundException>(() => Png.Write(Path.Combine(dir, "missing", "figure.png"), png));
        Assert.Equal([path], Directory.GetFiles(dir));
    }

    [Fact]
    public void Show_on_fashion_mnist_names_the_label_and_the_prediction()
    {
        string dir = TestData.TempDirectory();
        string model = Path.Combine(dir, "untrained.safetensors");
        ModelFile.Save(new Trainer([784, 10, 10], Activation.Tanh, new TrainerOptions()).ToNetwork(), model);
        string png = Path.Combine(dir, "item.png");

        (int code, string output, string error) = Run("show", "--dataset", "fashion-mnist", "--index", "0", "--weights", model, "-o", png);
        Assert.True(code == 0, error);
        Assert.Contains("Fashion-MNIST test image 0: label Ankle boot, predicted ", output);
        string predicted = output[(output.IndexOf("predicted ", StringComparison.Ordinal) + "predicted ".Length)..];
        Assert.Contains(ClassNames.FashionMnist, name => predicted.StartsWith(name + " (", StringComparison.Ordinal));
        Assert.Equal(PngSignature, File.ReadAllBytes(png)[..4]);
    }

    [Fact]
    public void Show_without_fashion_mnist_says_where_it_looked()
    {
        string dir = TestData.TempDirectory();
        string missing = Path.Combine(dir, "none");
        (int code, _, string error) = Run("show", "--dataset", "fashion-mnist", "--data", missing, "-o", Path.Combine(dir, "x.png"));
        Assert.Equal(1, code);
        Assert.StartsWith("nnsimd: error: Fashion-MNIST not found in " + missing, error);
        Assert.Single(error.TrimEnd().Split('\n'));
    }

    private static (int Code, string Out, string Err) Run(params string[] args) => CliTests.Run(args);
}
