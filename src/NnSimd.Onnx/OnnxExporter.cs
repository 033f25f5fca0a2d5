using System.Buffers.Binary;
using System.Globalization;
using System.Reflection;
using System.Runtime.InteropServices;
using Google.Protobuf;
using NnSimd.Model;
using NnSimd.Onnx.Protos;

namespace NnSimd.Onnx;

/// <summary>
/// A network as an ONNX ModelProto, laid out as <c>torch.onnx.export</c> lays out an <c>nn.Sequential</c>:
/// per layer, <c>Gemm(x, layerN.weight [out, in], layerN.bias, transB=1)</c> and then its activation node.
/// Values go into raw_data bit for bit, so importing the file gives back the same network.
/// </summary>
internal static class OnnxExporter
{
    public static ModelProto Export(Network network)
    {
        var graph = new GraphProto { Name = "nnsimd" };
        graph.Input.Add(Rows("x", network.Inputs));
        string x = "x";
        for (int i = 0; i < network.Layers.Count; i++)
        {
            DenseLayer layer = network.Layers[i];
            string prefix = string.Create(CultureInfo.InvariantCulture, $"layer{i + 1}");
            bool last = i == network.Layers.Count - 1;
            graph.Initializer.Add(Tensor(prefix + ".weight", [layer.Outputs, layer.Inputs], Transpose(layer.GetWeights(), layer.Inputs, layer.Outputs)));
            graph.Initializer.Add(Tensor(prefix + ".bias", [layer.Outputs], layer.Bias));

            string op = OperatorOf(layer.Activation, i);
            string affine = last && op.Length == 0 ? "y" : prefix + ".gemm";
            var gemm = new NodeProto { Name = prefix + "/Gemm", OpType = "Gemm", Input = { x, prefix + ".weight", prefix + ".bias" }, Output = { affine } };
            gemm.Attribute.Add(new AttributeProto { Name = "transB", Type = AttributeProto.Types.AttributeType.Int, I = 1 });
            graph.Node.Add(gemm);
            x = affine;
            if (op.Length > 0)
            {
                string activated = last ? "y" : $"{prefix}.{op.ToLowerInvariant()}";
                var node = new NodeProto { Name = $"{prefix}/{op}", OpType = op, Input = { x }, Output = { activated } };
                if (layer.Activation == Activation.Softmax)
                {
                    node.Attribute.Add(new AttributeProto { Name = "axis", Type = AttributeProto.Types.AttributeType.Int, I = -1 });
                }

                graph.Node.Add(node);
                x = activated;
            }
        }

        graph.Output.Add(Rows("y", network.Outputs));
        return new ModelProto
        {
            IrVersion = OnnxModel.ExportIrVersion,
            ProducerName = "NnSimd",
            ProducerVersion = typeof(OnnxExporter).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "",
            OpsetImport = { new OperatorSetIdProto { Domain = "", Version = OnnxModel.ExportOpset } },
            Graph = graph,
        };
    }

    /// <summary>The ONNX operator of an activation ("" for identity, which needs none).</summary>
    private static string OperatorOf(Activation activation, int layer) => activation switch
    {
        Activation.Identity => "",
        Activation.Relu => "Relu",
        Activation.Sigmoid => "Sigmoid",
        Activation.Tanh => "Tanh",
        Activation.Softmax => "Softmax",
        _ => throw new NotSupportedException(string.Create(CultureInfo.InvariantCulture,
            $"layer {layer + 1}'s {activation.ToString().ToLowerInvariant()} activation has no ONNX operator; ONNX export supports identity, relu, sigmoid, tanh and softmax.")),
    };

    /// <summary>A float32 value of shape [batch, width], the batch left symbolic so any number of rows runs.</summary>
    private static ValueInfoProto Rows(string name, int width) => new()
    {
        Name = name,
        Type = new TypeProto
        {
            TensorType = new TypeProto.Types.Tensor
            {
                ElemType = (int)TensorProto.Types.DataType.Float,
                Shape = new TensorShapeProto { Dim = { new TensorShapeProto.Types.Dimension { DimParam = "batch" }, new TensorShapeProto.Types.Dimension { DimValue = width } } },
            },
        },
    };

    private static TensorProto Tensor(string name, long[] dims, ReadOnlySpan<float> values)
    {
        var t = new TensorProto { Name = name, DataType = (int)TensorProto.Types.DataType.Float };
        t.Dims.Add(dims);
        if (BitConverter.IsLittleEndian)
        {
            t.RawData = ByteString.CopyFrom(MemoryMarshal.AsBytes(values));
        }
        else
        {
            var bytes = new byte[values.Length * sizeof(float)];
            for (int i = 0; i < values.Length; i++)
            {
                BinaryPrimitives.WriteSingleLittleEndian(bytes.AsSpan(i * sizeof(float)), values[i]);
            }

            t.RawData = ByteString.CopyFrom(bytes);
        }

        return t;
    }

    /// <summary>[rows x cols] to [cols x rows].</summary>
    private static float[] Transpose(float[] a, int rows, int cols)
    {
        var t = new float[a.Length];
        for (int r = 0; r < rows; r++)
        {
            for (int c = 0; c < cols; c++)
            {
                t[c * rows + r] = a[r * cols + c];
            }
        }

        return t;
    }
}
