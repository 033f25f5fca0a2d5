using NnSimd.Model;
using Xunit;

namespace NnSimd.Onnx.Tests;

/// <summary>The ONNX files torch.onnx.export wrote (opsets 9 and 17) load and give torch's outputs.</summary>
public class ImportTests
{
    public static TheoryData<string, int> Files()
    {
        var data = new TheoryData<string, int>();
        foreach (string name in Fixtures.Models)
        {
            foreach (int opset in Fixtures.Opsets)
            {
                data.Add(name, opset);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Files))]
    public void Torch_exports_give_torchs_outputs(string name, int opset)
    {
        Network network = OnnxModel.Load(Fixtures.Onnx(name, opset));
        float[] y = Fixtures.Predict(network, Fixtures.X(name).RequireFloats());
        Fixtures.Close(Fixtures.Y(name).RequireFloats(), y, $"{name} opset {opset}");
    }

    [Fact]
    public void Layers_and_activations_are_those_torch_exported()
    {
        Network network = OnnxModel.Load(Fixtures.Onnx("named_mixed", 9));
        Assert.Equal("9-11-6-4 relu,tanh,softmax", network.ToString());
        Assert.Equal("6-5-3 sigmoid,identity", OnnxModel.Load(Fixtures.Onnx("seq_sigmoid", 17)).ToString());
    }

    [Fact]
    public void Both_opsets_give_the_same_network_bit_for_bit()
    {
        foreach (string name in Fixtures.Models)
        {
            Network a = OnnxModel.Load(Fixtures.Onnx(name, 9)), b = OnnxModel.Load(Fixtures.Onnx(name, 17));
            Assert.True(Networks.Same(a, b), name);
        }
    }
}
