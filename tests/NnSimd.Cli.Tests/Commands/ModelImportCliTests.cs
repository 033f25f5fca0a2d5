using NnSimd.IO;
using Xunit;

namespace NnSimd.Cli.Tests.Commands;

/// <summary>The command lines that outside checks use for PyTorch files, spelled as they spell them.</summary>
public class ModelImportCliTests
{
    private static string Fixture(string name) => Path.Combine(TestData.RepositoryRoot, "tests", "fixtures", "models", name);

    private static void AssertNear(string expectedNpy, string actualNpy)
    {
        TensorData expected = Npy.Read(expectedNpy), actual = Npy.Read(actualNpy);
        Assert.Equal(expected.Shape, actual.Shape);
        for (int i = 0; i < expected.Floats!.Length; i++)
        {
            Assert.True(Math.Abs(expected.Floats[i] - actual.Floats![i]) <= 1e-5 * Math.Max(1, Math.Abs(expected.Floats[i])), $"element {i}: {actual.Floats[i]} against torch's {expected.Floats[i]}");
        }
    }

    [Fact]
    public void Predict_runs_a_pt_file_with_the_activations_named()
    {
        string y = Path.Combine(TestData.TempDirectory(), "y.npy");
        (int code, _, string error) = CliTests.Run("predict", "--weights", Fixture("named_mixed.pt"), "--activations", "relu,tanh,softmax",
            "--input", Fixture("named_mixed.x.npy"), "--output", y);
        Assert.True(code == 0, error);
        AssertNear(Fixture("named_mixed.y.npy"), y);
    }

    [Fact]
    public void Convert_turns_a_pt_file_into_a_model_that_needs_no_activations()
    {
        string dir = TestData.TempDirectory();
        string model = Path.Combine(dir, "m.safetensors"), y = Path.Combine(dir, "y.npy");
        (int code, _, string error) = CliTests.Run("convert", Fixture("seq_relu.pt"), "--activations", "relu,relu,softmax", "-o", model);
        Assert.True(code == 0, error);
        (code, _, error) = CliTests.Run("predict", "--weights", model, "--input", Fixture("seq_relu.x.npy"), "--output", y);
        Assert.True(code == 0, error);
        AssertNear(Fixture("seq_relu.y.npy"), y);
    }

    [Fact]
    public void A_pt_file_without_activations_is_one_line_that_says_what_to_pass()
    {
        (int code, string output, string error) = CliTests.Run("predict", "--weights", Fixture("seq_relu.pt"),
            "--input", Fixture("seq_relu.x.npy"), "--output", Path.Combine(TestData.TempDirectory(), "y.npy"));
        Assert.Equal(1, code);
        Assert.Empty(output);
        Assert.Single(error.TrimEnd().Split('\n'));
        Assert.Contains("names no activations: give one per layer (3 layers)", error);
    }

    [Fact]
    public void Inspect_shows_the_layer_chain_it_would_build()
    {
        (int code, string output, string error) = CliTests.Run("inspect", Fixture("named_mixed.safetensors"));
        Assert.True(code == 0, error);
        Assert.Contains("layer 1: fc1.weight [11x9]^T + fc1.bias: 9 -> 11", output);
        Assert.Contains("layer 3: fc3.weight [4x6]^T + fc3.bias: 6 -> 4", output);
        Assert.Contains("no activations in the file", output);
    }
}
