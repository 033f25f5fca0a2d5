using NnSimd.IO;
using NnSimd.Model;
using Xunit;

namespace NnSimd.Onnx.Tests;

/// <summary>
/// The committed models that make_fixtures.py exported with torch 1.13 (tests/fixtures/models) and how outputs
/// are compared. (The book's network through ONNX is tested in NnSimd.Tests, which finds the reference data.)
/// </summary>
internal static class Fixtures
{
    public static readonly string[] Models = ["seq_relu", "named_mixed", "seq_sigmoid", "graph_ops"];

    public static readonly int[] Opsets = [9, 17];

    public static string Directory => Path.Combine(TestData.RepositoryRoot, "tests", "fixtures", "models");

    public static string Onnx(string name, int opset) => Path.Combine(Directory, $"{name}.opset{opset}.onnx");

    public static TensorData X(string name) => Npy.Read(Path.Combine(Directory, $"{name}.x.npy"));

    public static TensorData Y(string name) => Npy.Read(Path.Combine(Directory, $"{name}.y.npy"));

    public static float[] Predict(Network network, float[] x)
    {
        var y = new float[x.Length / network.Inputs * network.Outputs];
        network.Predict(x, y, network.CreateWorkspace());
        return y;
    }

    /// <summary>
    /// Within 1e-5 of the expected value, absolutely, or relatively where it exceeds 1 in size: NnSimd runs in
    /// float32, whose spacing at 1 is 1.2e-7, so a few layers of rounding stay far below 1e-5 near 1; above 1
    /// the spacing grows with the value, and only a relative bound means the same there.
    /// </summary>
    public static void Close(ReadOnlySpan<float> expected, ReadOnlySpan<float> actual, string what)
    {
        Assert.Equal(expected.Length, actual.Length);
        double worst = 0;
        for (int i = 0; i < expected.Length; i++)
        {
            double e = expected[i], a = actual[i];
            double error = Math.Abs(e - a) / Math.Max(1, Math.Abs(e));
            worst = Math.Max(worst, double.IsNaN(error) ? double.PositiveInfinity : error);
            Assert.True(error <= 1e-5, $"{what}: element {i} is {a}, expected {e} (max error so far {worst:E2}).");
        }
    }
}
