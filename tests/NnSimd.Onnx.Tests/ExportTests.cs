using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Microsoft.ML.OnnxRuntime;
using NnSimd.Model;
using Xunit;

namespace NnSimd.Onnx.Tests;

/// <summary>Exported files: ONNX Runtime runs them to NnSimd's outputs, and importing them gives back the network.</summary>
public class ExportTests
{
    [Theory]
    [MemberData(nameof(ImportTests.Files), MemberType = typeof(ImportTests))]
    public void Onnx_Runtime_runs_an_exported_fixture_to_NnSimds_outputs(string name, int opset)
    {
        Network network = OnnxModel.Load(Fixtures.Onnx(name, opset));
        float[] x = Fixtures.X(name).RequireFloats();
        Fixtures.Close(Fixtures.Predict(network, x), RunOnnxRuntime(Export(network), x, network.Inputs), name);
    }

    [Fact]
    public void Onnx_Runtime_runs_an_exported_random_network_to_NnSimds_outputs()
    {
        var random = new Random(20261202);
        int[] widths = [23, 17, 9, 5];
        Activation[] acts = [Activation.Tanh, Activation.Relu, Activation.Softmax];
        var network = new Network([.. Enumerable.Range(0, 3).Select(i => new DenseLayer(
            Uniform(random, widths[i] * widths[i + 1]), Uniform(random, widths[i + 1]), widths[i], widths[i + 1], acts[i]))]);
        float[] x = Uniform(random, 37 * widths[0]);
        Fixtures.Close(Fixtures.Predict(network, x), RunOnnxRuntime(Export(network), x, network.Inputs), "random 23-17-9-5");
    }

    [Property(MaxTest = 100)]
    public Property A_random_network_exported_and_imported_is_the_same_bit_for_bit() =>
        Prop.ForAll(Networks.Network(Networks.Value()).ToArbitrary(), network => Networks.Same(network, OnnxModel.Load(Export(network))));

    [Fact]
    public void A_step_activation_is_refused_and_nothing_is_written()
    {
        var network = new Network(new DenseLayer([1f, 2f], [0f], 2, 1, Activation.Step));
        string path = Path.Combine(TestData.TempDirectory(), "step.onnx");
        var e = Assert.Throws<NotSupportedException>(() => OnnxModel.Save(network, path));
        Assert.Contains("step activation has no ONNX operator", e.Message);
        Assert.Empty(Directory.GetFiles(Path.GetDirectoryName(path)!));
    }

    [Fact]
    public void The_exported_file_declares_opset_13_and_a_dynamic_batch()
    {
        Protos.ModelProto model = OnnxModel.Read(Export(OnnxModel.Load(Fixtures.Onnx("seq_relu", 17))));
        Assert.Equal(OnnxModel.ExportIrVersion, model.IrVersion);
        Assert.Equal(13, Assert.Single(model.OpsetImport).Version);
        Assert.Equal("batch", model.Graph.Input[0].Type.TensorType.Shape.Dim[0].DimParam);
        Assert.Equal(["Gemm", "Relu", "Gemm", "Relu", "Gemm", "Softmax"], model.Graph.Node.Select(n => n.OpType));
    }

    internal static string Export(Network network)
    {
        string path = Path.Combine(TestData.TempDirectory(), "model.onnx");
        OnnxModel.Save(network, path);
        return path;
    }

    private static float[] RunOnnxRuntime(string path, float[] x, int inputs)
    {
        using var session = new InferenceSession(path);
        using var input = OrtValue.CreateTensorValueFromMemory(x, [x.Length / inputs, inputs]);
        using var options = new RunOptions();
        using IDisposableReadOnlyCollection<OrtValue> outputs = session.Run(options, ["x"], [input], ["y"]);
        return outputs[0].GetTensorDataAsSpan<float>().ToArray();
    }

    private static float[] Uniform(Random random, int n) => [.. Enumerable.Range(0, n).Select(_ => random.NextSingle() * 2 - 1)];
}
