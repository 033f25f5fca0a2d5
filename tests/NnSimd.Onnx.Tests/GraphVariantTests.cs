using Google.Protobuf;
using Microsoft.ML.OnnxRuntime;
using NnSimd.Model;
using NnSimd.Onnx.Protos;
using Xunit;

namespace NnSimd.Onnx.Tests;

/// <summary>
/// Valid graphs torch 1.13 does not write (Gemm's alpha, beta and transB=0, a bias added on the left, a
/// Softmax without its axis, opset 21), made by editing torch's export of seq_relu. ONNX Runtime runs each
/// edited file, and NnSimd must give its outputs: the reference is the real runtime, not the test's reading.
/// </summary>
public class GraphVariantTests
{
    public static TheoryData<string> Variants() => ["alpha and beta", "transB=0", "MatMul and Add on the left", "Softmax axis by default at opset 11", "opset 21"];

    [Theory]
    [MemberData(nameof(Variants))]
    public void NnSimd_gives_what_Onnx_Runtime_gives(string variant)
    {
        ModelProto model = OnnxModel.Read(Fixtures.Onnx("seq_relu", 17));
        GraphProto g = model.Graph;
        switch (variant)
        {
            case "alpha and beta":
                g.Node[2].Attribute.Single(a => a.Name == "alpha").F = 0.75f;
                g.Node[2].Attribute.Single(a => a.Name == "beta").F = -1.5f;
                break;
            case "transB=0":
                int at = g.Initializer.IndexOf(g.Initializer.Single(t => t.Name == "2.weight"));
                g.Initializer[at] = Transposed(g.Initializer[at], "2.weight");
                g.Node[2].Attribute.Single(a => a.Name == "transB").I = 0;
                break;
            case "MatMul and Add on the left":
                NodeProto gemm = g.Node[4];
                g.Initializer.Add(Transposed(g.Initializer.Single(t => t.Name == "4.weight"), "4.weight.t"));
                g.Node.RemoveAt(4);
                g.Node.Insert(4, new NodeProto { OpType = "MatMul", Name = "mm", Input = { gemm.Input[0], "4.weight.t" }, Output = { "mm.out" } });
                g.Node.Insert(5, new NodeProto { OpType = "Add", Name = "add", Input = { "4.bias", "mm.out" }, Output = { gemm.Output[0] } });
                break;
            case "Softmax axis by default at opset 11":
                model.OpsetImport[0].Version = 11;
                model.IrVersion = 6;
                g.Node[5].Attribute.Clear();
                break;
            case "opset 21":
                model.OpsetImport[0].Version = 21;
                model.IrVersion = 10;
                break;
        }

        string path = Path.Combine(TestData.TempDirectory(), "variant.onnx");
        File.WriteAllBytes(path, model.ToByteArray());
        float[] x = Fixtures.X("seq_relu").RequireFloats();
        Network network = OnnxModel.Load(path);
        using var session = new InferenceSession(path);
        using var input = OrtValue.CreateTensorValueFromMemory(x, [x.Length / network.Inputs, network.Inputs]);
        using var options = new RunOptions();
        using IDisposableReadOnlyCollection<OrtValue> outputs = session.Run(options, ["x"], [input], ["y"]);
        Fixtures.Close(outputs[0].GetTensorDataAsSpan<float>(), Fixtures.Predict(network, x), variant);
    }

    /// <summary>A float32 [rows, cols] initializer as [cols, rows].</summary>
    private static TensorProto Transposed(TensorProto t, string name)
    {
        float[] v = [.. t.RawData.ToByteArray().Chunk(4).Select(b => BitConverter.ToSingle(b))];
        int rows = (int)t.Dims[0], cols = (int)t.Dims[1];
        var result = new TensorProto { Name = name, DataType = t.DataType, Dims = { cols, rows } };
        result.RawData = ByteString.CopyFrom([.. Enumerable.Range(0, v.Length).SelectMany(i => BitConverter.GetBytes(v[i % rows * cols + i / rows]))]);
        return result;
    }
}
