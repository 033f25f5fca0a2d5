using System.Runtime.InteropServices;
using System.Text;
using NnSimd.Model;

namespace NnSimd.Benchmarks;

/// <summary>
/// Writes a <see cref="Network"/> as an ONNX model (MatMul + Add + activation per layer, opset 13), or a
/// <see cref="QuantizedNetwork"/> as the same int8 computation in standard operators, so ONNX Runtime runs exactly
/// the network NnSimd runs. A minimal protobuf encoder: only the fields a model needs.
/// </summary>
internal static class OnnxModelWriter
{
    private const int FloatType = 1, Uint8Type = 2, Int8Type = 3;

    public static byte[] Write(Network network)
    {
        var graph = new Proto();
        string x = "x";
        for (int i = 0; i < network.Layers.Count; i++)
        {
            DenseLayer layer = network.Layers[i];
            string w = $"W{i + 1}", b = $"b{i + 1}", z = $"z{i + 1}", s = $"s{i + 1}", y = i == network.Layers.Count - 1 ? "y" : $"h{i + 1}";
            graph.Message(5, Tensor(w, [layer.Inputs, layer.Outputs], layer.GetWeights()));
            graph.Message(5, Tensor(b, [layer.Outputs], layer.Bias.ToArray()));
            graph.Message(1, Node("MatMul", [x, w], z));
            graph.Message(1, Node("Add", [z, b], s));
            graph.Message(1, Node(Operator(layer.Activation), [s], y));
            x = y;
        }

        graph.String(2, "nnsimd");
        graph.Message(11, ValueInfo("x", network.Inputs));
        graph.Message(12, ValueInfo("y", network.Outputs));
        return Model(graph);
    }

    /// <summary>
    /// The int8 network over byte rows x: uint8 <c>[batch x Inputs]</c> standing for x / <paramref name="divisor"/>
    /// (pixels), as <see cref="QuantizedNetwork.Predict(ReadOnlySpan{byte}, float, Span{float}, QuantizedWorkspace, NetworkOutput)"/>
    /// takes them. An int8 layer is MatMulInteger(u8 input, its int8 weights, zero points 0) to int32, Cast to
    /// float, Mul by InputScale · s[j] (1 / divisor for the first layer, whose bytes are used as they are), Add
    /// the bias, the activation; an int8 layer after another layer first quantizes its input with
    /// QuantizeLinear(scale InputScale, zero point 0), which rounds x / scale half to even and saturates to
    /// [0, 255], as NnSimd does with x · (1 / scale). A float32 layer is MatMul + Add + activation, as in
    /// <see cref="Write(Network)"/>.
    /// </summary>
    public static byte[] Write(QuantizedNetwork network, float divisor)
    {
        var graph = new Proto();
        string x = "x";
        bool bytes = true; // x is uint8 (else float)
        for (int i = 0; i < network.Layers.Count; i++)
        {
            QuantizedLayer layer = network.Layers[i];
            string n = $"{i + 1}", y = i == network.Layers.Count - 1 ? "y" : $"h{n}", z;
            graph.Message(5, Tensor($"b{n}", [layer.Outputs], FloatType, Raw(layer.Bias)));
            if (layer.IsInt8)
            {
                if (!bytes)
                {
                    graph.Message(5, Tensor($"qs{n}", [], FloatType, Raw<float>([layer.InputScale])));
                    graph.Message(5, Tensor($"qz{n}", [], Uint8Type, [0]));
                    graph.Message(1, Node("QuantizeLinear", [x, $"qs{n}", $"qz{n}"], $"q{n}"));
                    x = $"q{n}";
                }

                float inputScale = i == 0 ? 1f / divisor : layer.InputScale;
                float[] scales = layer.GetWeightScales().Select(s => inputScale * s).ToArray();
                graph.Message(5, Tensor($"W{n}", [layer.Inputs, layer.Outputs], Int8Type, Raw<sbyte>(layer.GetInt8Weights())));
                graph.Message(5, Tensor($"az{n}", [], Uint8Type, [0]));
                graph.Message(5, Tensor($"wz{n}", [], Int8Type, [0]));
                graph.Message(5, Tensor($"s{n}", [layer.Outputs], FloatType, Raw<float>(scales)));
                graph.Message(1, Node("MatMulInteger", [x, $"W{n}", $"az{n}", $"wz{n}"], $"i{n}"));
                graph.Message(1, Node("Cast", [$"i{n}"], $"f{n}").Message(5, IntAttribute("to", FloatType)));
                graph.Message(1, Node("Mul", [$"f{n}", $"s{n}"], $"z{n}"));
                z = $"z{n}";
            }
            else
            {
                if (bytes)
                {
                    graph.Message(5, Tensor("divisor", [], FloatType, Raw<float>([divisor])));
                    graph.Message(1, Node("Cast", [x], "xf").Message(5, IntAttribute("to", FloatType)));
                    graph.Message(1, Node("Div", ["xf", "divisor"], "xs"));
                    x = "xs";
                }

                graph.Message(5, Tensor($"W{n}", [layer.Inputs, layer.Outputs], FloatType, Raw<float>(layer.GetWeights())));
                graph.Message(1, Node("MatMul", [x, $"W{n}"], $"z{n}"));
                z = $"z{n}";
            }

            graph.Message(1, Node("Add", [z, $"b{n}"], $"a{n}"));
            graph.Message(1, Node(Operator(layer.Activation), [$"a{n}"], y));
            x = y;
            bytes = false;
        }

        graph.String(2, "nnsimd-int8");
        graph.Message(11, ValueInfo("x", network.Inputs, Uint8Type));
        graph.Message(12, ValueInfo("y", network.Outputs));
        return Model(graph);
    }

    private static byte[] Model(Proto graph)
    {
        var model = new Proto();
        model.Varint(1, 7); // ir_version
        model.Message(8, new Proto().String(1, "").Varint(2, 13)); // opset_import
        model.Message(7, graph);
        return model.ToArray();
    }

    private static string Operator(Activation activation) => activation switch
    {
        Activation.Sigmoid => "Sigmoid",
        Activation.Relu => "Relu",
        Activation.Tanh => "Tanh",
        Activation.Softmax => "Softmax",
        Activation.Identity => "Identity",
        _ => throw new NotSupportedException($"{activation} has no ONNX operator here."),
    };

    private static Proto Node(string op, string[] inputs, string output)
    {
        var node = new Proto();
        foreach (string input in inputs)
        {
            node.String(1, input);
        }

        return node.String(2, output).String(4, op);
    }

    private static Proto Tensor(string name, long[] dims, float[] values) => Tensor(name, dims, FloatType, Raw<float>(values));

    /// <summary>A tensor with no dims is a scalar (zero points and QuantizeLinear's scale are).</summary>
    private static Proto Tensor(string name, long[] dims, int dataType, byte[] raw)
    {
        var tensor = new Proto();
        foreach (long d in dims)
        {
            tensor.Varint(1, d);
        }

        return tensor.Varint(2, dataType).String(8, name).Bytes(9, raw);
    }

    /// <summary>Little-endian, as ONNX raw_data requires.</summary>
    private static byte[] Raw<T>(ReadOnlySpan<T> values)
        where T : unmanaged => MemoryMarshal.AsBytes(values).ToArray();

    private static Proto IntAttribute(string name, long value) => new Proto().String(1, name).Varint(3, value).Varint(20, 2); // type INT

    private static Proto ValueInfo(string name, int width, int elementType = FloatType)
    {
        var shape = new Proto()
            .Message(1, new Proto().String(2, "batch"))
            .Message(1, new Proto().Varint(1, width));
        var tensorType = new Proto().Varint(1, elementType).Message(2, shape);
        return new Proto().String(1, name).Message(2, new Proto().Message(1, tensorType));
    }

    private sealed class Proto
    {
        private readonly MemoryStream _buffer = new();

        public Proto Varint(int field, long value)
        {
            Tag(field, 0);
            WriteVarint((ulong)value);
            return this;
        }

        public Proto String(int field, string value) => Bytes(field, Encoding.UTF8.GetBytes(value));

        public Proto Bytes(int field, byte[] value)
        {
            Tag(field, 2);
            WriteVarint((ulong)value.Length);
            _buffer.Write(value);
            return this;
        }

        public Proto Message(int field, Proto value) => Bytes(field, value.ToArray());

        public byte[] ToArray() => _buffer.ToArray();

        private void Tag(int field, int wireType) => WriteVarint((ulong)((field << 3) | wireType));

        private void WriteVarint(ulong value)
        {
            while (value >= 0x80)
            {
                _buffer.WriteByte((byte)(value | 0x80));
                value >>= 7;
            }

            _buffer.WriteByte((byte)value);
        }
    }
}
