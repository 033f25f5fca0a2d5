using NnSimd.IO;
using Xunit;

namespace NnSimd.Cli.Tests.Commands;

/// <summary>ONNX through the command line: predict runs torch's export, export writes a model that predicts the same.</summary>
public class OnnxCliTests
{
    private static string Fixture(string file) => Path.Combine(TestData.RepositoryRoot, "tests", "fixtures", "models", file);

    [Theory]
    [InlineData("seq_relu.opset17.onnx")]
    [InlineData("named_mixed.opset9.onnx")]
    public void Predict_runs_a_torch_export_to_torchs_outputs(string model)
    {
        string name = model[..model.IndexOf('.', StringComparison.Ordinal)];
        string output = Path.Combine(TestData.TempDirectory(), "y.npy");
        (int code, _, string error) = CliTests.Run("predict", "--weights", Fixture(model), "--input", Fixture($"{name}.x.npy"), "--output", output);
        Assert.True(code == 0, error);
        AssertClose(Npy.Read(Fixture($"{name}.y.npy")).RequireFloats(), Npy.Read(output).RequireFloats());
    }

    [Fact]
    public void Export_writes_onnx_that_predicts_as_the_original()
    {
        string dir = TestData.TempDirectory();
        string onnx = Path.Combine(dir, "seq_relu.onnx"), y = Path.Combine(dir, "y.npy");
        (int code, string output, string error) = CliTests.Run("export", Fixture("seq_relu.pt"), "--activations", "relu,relu,softmax", "-o", onnx);
        Assert.True(code == 0, error);
        Assert.Contains("7-13-5-3 relu,relu,softmax", output);
        (code, _, error) = CliTests.Run("predict", "--weights", onnx, "--input", Fixture("seq_relu.x.npy"), "--output", y);
        Assert.True(code == 0, error);
        AssertClose(Npy.Read(Fixture("seq_relu.y.npy")).RequireFloats(), Npy.Read(y).RequireFloats());
    }

    [Fact]
    public void An_unsupported_graph_is_one_line_and_no_output()
    {
        string output = Path.Combine(TestData.TempDirectory(), "y.npy");
        (int code, _, string error) = CliTests.Run("predict", "--weights", Fixture("logsoftmax.opset17.onnx"), "--input", Fixture("seq_relu.x.npy"), "--output", output);
        Assert.Equal(1, code);
        Assert.StartsWith("nnsimd: error: ", error);
        Assert.Contains("(LogSoftmax): NnSimd has no log-softmax activation", error);
        Assert.Single(error.TrimEnd().Split('\n'));
        Assert.False(File.Exists(output));
    }

    /// <summary>Within 1e-5, relative above 1: float32 against torch's float64 (see NnSimd.Onnx.Tests' Fixtures.Close).</summary>
    private static void AssertClose(float[] expected, float[] actual)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++)
        {
            double e = expected[i];
            Assert.True(Math.Abs(e - actual[i]) / Math.Max(1, Math.Abs(e)) <= 1e-5, $"element {i}: {actual[i]}, expected {e}");
        }
    }
}
