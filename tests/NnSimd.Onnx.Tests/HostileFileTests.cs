using Google.Protobuf;
using NnSimd.IO;
using NnSimd.Onnx.Protos;
using Xunit;

namespace NnSimd.Onnx.Tests;

/// <summary>
/// Damaged and hostile ONNX files, each made by editing torch's own export of seq_relu (Gemm, Relu, Gemm, Relu,
/// Gemm, Softmax): every one is refused with one message naming the file and what is wrong, before any large
/// allocation.
/// </summary>
public class HostileFileTests
{
    private static ModelProto Torch() => OnnxModel.Read(Fixtures.Onnx("seq_relu", 17));

    private static string Refusal(ModelProto model, string name = "hostile.onnx") => Refusal(model.ToByteArray(), name);

    private static string Refusal(byte[] bytes, string name = "hostile.onnx")
    {
        string path = Path.Combine(TestData.TempDirectory(), name);
        File.WriteAllBytes(path, bytes);
        long before = GC.GetAllocatedBytesForCurrentThread();
        var e = Assert.Throws<NnSimdFormatException>(() => OnnxModel.Load(path));
        // A refusal costs about the file's size, whatever sizes the file claims.
        Assert.True(GC.GetAllocatedBytesForCurrentThread() - before < (1 << 20), "the refusal allocated more than 1 MiB");
        Assert.StartsWith(path, e.Message);
        Assert.DoesNotContain('\n', e.Message);
        return e.Message;
    }

    [Fact]
    public void A_weight_with_a_2_to_the_40_dimension()
    {
        ModelProto model = Torch();
        model.Graph.Initializer[0].Dims[0] = 1L << 40;
        Assert.Contains("tensor '0.weight' has dims [1099511627776, 7], which is more elements than NnSimd holds in one array", Refusal(model));
    }

    [Fact]
    public void A_weight_with_an_empty_dimension()
    {
        ModelProto model = Torch();
        TensorProto w = model.Graph.Initializer[4];
        w.Dims[0] = 0;
        w.ClearRawData();
        Assert.Contains("B '4.weight' must be a 2-D float tensor with no empty dimension, not [0, 5]", Refusal(model));
    }

    [Fact]
    public void An_input_with_a_2_to_the_40_dimension()
    {
        ModelProto model = Torch();
        model.Graph.Input[0].Type.TensorType.Shape.Dim[1].DimValue = 1L << 40;
        Assert.Contains("input 'x' dimension 1 is 1099511627776", Refusal(model));
    }

    [Fact]
    public void A_graph_cycle()
    {
        ModelProto model = Torch();
        model.Graph.Node[0].Input[0] = model.Graph.Node[3].Output[0];
        Assert.Contains("node 0 '/0/Gemm' (Gemm) uses '/3/Relu_output_0' before any node makes it: the nodes are out of topological order or form a cycle", Refusal(model));
    }

    [Fact]
    public void Nodes_out_of_order()
    {
        ModelProto model = Torch();
        NodeProto relu = model.Graph.Node[1];
        model.Graph.Node.RemoveAt(1);
        model.Graph.Node.Add(relu);
        Assert.Contains("out of topological order", Refusal(model));
    }

    [Theory]
    [InlineData("LeakyRelu")]
    [InlineData("Conv")]
    public void An_unsupported_op(string op)
    {
        ModelProto model = Torch();
        model.Graph.Node[1].OpType = op;
        Assert.Contains($"node 1 '/1/Relu' ({op}) is not an operator NnSimd maps; it maps Gemm, MatMul, Add, Relu, Sigmoid, Tanh, Softmax, Flatten, Identity, Reshape, Constant", Refusal(model));
    }

    [Fact]
    public void LogSoftmax_from_torch_is_refused_by_name()
    {
        var e = Assert.Throws<NnSimdFormatException>(() => OnnxModel.Load(Path.Combine(Fixtures.Directory, "logsoftmax.opset17.onnx")));
        Assert.Contains("(LogSoftmax): NnSimd has no log-softmax activation", e.Message);
    }

    [Fact]
    public void A_truncated_file()
    {
        byte[] bytes = File.ReadAllBytes(Fixtures.Onnx("seq_relu", 17));
        Assert.Contains("not a readable ONNX model (the protobuf is damaged or truncated", Refusal(bytes[..(bytes.Length / 2)]));
    }

    [Fact]
    public void Raw_data_shorter_than_its_dims()
    {
        ModelProto model = Torch();
        TensorProto w = model.Graph.Initializer[0];
        w.RawData = ByteString.CopyFrom(w.RawData.Span[..^4]);
        Assert.Contains("tensor '0.weight' has dims [13, 7] (364 bytes) but its raw_data holds 360 bytes", Refusal(model));
    }

    [Fact]
    public void Not_a_model_at_all()
    {
        Assert.Contains("not a readable ONNX model", Refusal(File.ReadAllBytes(Path.Combine(Fixtures.Directory, "seq_relu.x.npy"))));
        Assert.Contains("not an ONNX model: it has no graph", Refusal(new ModelProto { IrVersion = 8 }));
    }

    [Fact]
    public void A_branching_graph()
    {
        ModelProto model = Torch();
        model.Graph.Node[2].Input[0] = "x";
        Assert.Contains("node 2 '/2/Gemm' (Gemm) takes 'x', which is neither a constant nor the output of the node before", Refusal(model));
    }

    [Fact]
    public void Softmax_before_another_layer()
    {
        ModelProto model = Torch();
        model.Graph.Node[1].OpType = "Softmax";
        Assert.Contains("follows a Softmax; NnSimd allows Softmax only at the end", Refusal(model));
    }

    [Fact]
    public void An_attribute_the_mapping_does_not_know()
    {
        ModelProto model = Torch();
        model.Graph.Node[0].Attribute.Add(new AttributeProto { Name = "transA", Type = AttributeProto.Types.AttributeType.Int, I = 1 });
        Assert.Contains("transA=1", Refusal(model));
        model = Torch();
        model.Graph.Node[1].Attribute.Add(new AttributeProto { Name = "alpha", Type = AttributeProto.Types.AttributeType.Float, F = 0.1f });
        Assert.Contains("has attribute 'alpha'; NnSimd maps Relu with none", Refusal(model));
    }

    [Fact]
    public void An_opset_outside_9_to_21()
    {
        ModelProto model = Torch();
        model.OpsetImport[0].Version = 22;
        Assert.Contains("operator set 22; NnSimd reads opsets 9 to 21", Refusal(model));
    }

    [Theory]
    [InlineData("../outside.bin")]
    [InlineData("/etc/passwd")]
    [InlineData("sub/weights.bin")]
    [InlineData("..")]
    public void External_data_that_leaves_the_models_folder(string location)
    {
        ModelProto model = Torch();
        External(model.Graph.Initializer[0], location, 0, null);
        Assert.Contains("external data is read only from a file named plainly in the model's own folder", Refusal(model));
    }

    [Fact]
    public void External_data_beside_the_model_loads_and_a_short_file_is_refused()
    {
        string dir = TestData.TempDirectory();
        ModelProto model = Torch();
        TensorProto w = model.Graph.Initializer[0];
        File.WriteAllBytes(Path.Combine(dir, "weights.bin"), [.. new byte[16], .. w.RawData.ToByteArray()]);
        External(w, "weights.bin", 16, w.RawData.Length);
        string path = Path.Combine(dir, "external.onnx");
        File.WriteAllBytes(path, model.ToByteArray());
        Assert.True(Networks.Same(OnnxModel.Load(Fixtures.Onnx("seq_relu", 17)), OnnxModel.Load(path)));

        External(w, "weights.bin", 32, null);
        File.WriteAllBytes(path, model.ToByteArray());
        var e = Assert.Throws<NnSimdFormatException>(() => OnnxModel.Load(path));
        Assert.Contains("tensor '0.weight' needs 364 bytes from here, but the file holds 380 bytes in all", e.Message);
    }

    [Fact]
    public void A_link_out_of_the_models_folder()
    {
        string dir = TestData.TempDirectory(), elsewhere = TestData.TempDirectory();
        File.WriteAllBytes(Path.Combine(elsewhere, "secret.bin"), new byte[364]);
        File.CreateSymbolicLink(Path.Combine(dir, "weights.bin"), Path.Combine(elsewhere, "secret.bin"));
        ModelProto model = Torch();
        External(model.Graph.Initializer[0], "weights.bin", 0, null);
        string path = Path.Combine(dir, "linked.onnx");
        File.WriteAllBytes(path, model.ToByteArray());
        var e = Assert.Throws<NnSimdFormatException>(() => OnnxModel.Load(path));
        Assert.Contains("a link to", e.Message);
        Assert.Contains("outside the model's folder", e.Message);
    }

    private static void External(TensorProto t, string location, long offset, long? length)
    {
        t.ClearRawData();
        t.DataLocation = TensorProto.Types.DataLocation.External;
        t.ExternalData.Clear();
        t.ExternalData.Add(new StringStringEntryProto { Key = "location", Value = location });
        t.ExternalData.Add(new StringStringEntryProto { Key = "offset", Value = offset.ToString(System.Globalization.CultureInfo.InvariantCulture) });
        if (length is { } n)
        {
            t.ExternalData.Add(new StringStringEntryProto { Key = "length", Value = n.ToString(System.Globalization.CultureInfo.InvariantCulture) });
        }
    }
}
