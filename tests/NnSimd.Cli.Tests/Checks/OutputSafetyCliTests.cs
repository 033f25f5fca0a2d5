using NnSimd.IO;
using Xunit;

namespace NnSimd.Cli.Tests.Checks;

/// <summary>
/// The data-loss cases as a user meets them: the real command in a process, relative spellings resolved
/// against its working directory, one line on stderr, and every file the user had left as it was.
/// </summary>
public class OutputSafetyCliTests
{
    private static (int Code, string Out, string Err) RunIn(string directory, params string[] args) => CliTests.RunIn(directory, null, args);

    private static (int Code, string Out, string Err) RunIn(string directory, (string Name, string Value)? variable, params string[] args) =>
        CliTests.RunIn(directory, variable, args);

    private static Dictionary<string, byte[]> Snapshot(string directory) =>
        Directory.GetFiles(directory).ToDictionary(f => Path.GetFileName(f), File.ReadAllBytes);

    [Fact]
    public void Predict_with_its_model_as_output_leaves_the_model_whole()
    {
        string dir = TestData.TempDirectory();
        Assert.Equal(0, RunIn(dir, "convert", TestData.SampleWeights, "-o", "m.safetensors").Code);
        Npy.Write(Path.Combine(dir, "x.npy"), new float[2 * 784], [2, 784]);
        Dictionary<string, byte[]> before = Snapshot(dir);

        CliTests.AssertOneLineError(RunIn(dir, "predict", "--weights", "m.safetensors", "--input", "x.npy", "--output", "./m.safetensors"), "refusing to overwrite");
        CliTests.AssertOneLineError(RunIn(dir, "predict", "--weights", "m.safetensors", "--input", "x.npy", "--output", "x.npy"), "refusing to overwrite");
        Assert.Equal(before, Snapshot(dir));
    }

    [Fact]
    public void Train_with_one_path_for_model_and_plot_writes_nothing()
    {
        string dir = TestData.TempDirectory();
        CliTests.AssertOneLineError(RunIn(dir, "train", "--epochs", "1", "-o", "cur.png", "--plot", "cur.png"), "each output needs a file of its own");
        Assert.Empty(Directory.GetFileSystemEntries(dir));
    }

    [Fact]
    public void An_unknown_simd_setting_is_one_line()
    {
        CliTests.AssertOneLineError(RunIn(TestData.TempDirectory(), ("NNSIMD_SIMD", "bogus"), "info"), "NNSIMD_SIMD='bogus' is not one of scalar, vector128, vector256, vector512");
    }

    [Fact]
    public void A_parse_error_is_one_line_without_the_usage()
    {
        CliTests.AssertOneLineError(RunIn(TestData.TempDirectory(), "train", "--epochs", "abc", "-o", "m.safetensors"), "--epochs");
    }

    [Fact]
    public void A_diverged_training_run_says_so_in_one_line_and_saves_nothing()
    {
        Assert.True(File.Exists("/usr/share/datasets/fashion-mnist/train-images-idx3-ubyte.gz"),
            "Fashion-MNIST is missing: apt-get install dataset-fashion-mnist (.ci/run does).");
        string dir = TestData.TempDirectory();
        // Squared error with ReLU, a rate near the ceiling and heavy momentum overflows within a few steps.
        CliTests.AssertOneLineError(RunIn(dir, "train", "--loss", "mse", "--activation", "relu", "--lr", "9.9", "--momentum", "0.99", "--epochs", "1", "-o", "d.safetensors"),
            "lower the learning rate. Nothing was saved.");
        Assert.Empty(Directory.GetFileSystemEntries(dir));
    }
}
