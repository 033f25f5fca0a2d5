using System.Text;
using NnSimd.Model;

namespace NnSimd.Benchmarks;

/// <summary>
/// Writes a <see cref="Network"/> as an ONNX model (MatMul + Add + activation per layer, opset 13), so ONNX
/// Runtime runs exactly the network NnSimd runs. A minimal protobuf encoder: only the fields a model needs.
/// </summary>
internal static class OnnxModelWriter
{
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
            string op = layer.Activation switch
            {
                Activation.Sigmoid => "Sigmoid",
                Activation.Relu => "Relu",
                Activation.Tanh => "Tanh",
                Activation.Softmax => "Softmax",
                Activation.Identity => "Identity",
                _ => throw new NotSupportedException($"{layer.Activation} has no ONNX operator here."),
            };
            graph.Message(1, Node("Add", [z, b], s));
            graph.Message(1, Node(op, [s], y));
            x = y;
        }

        graph.String(2, "nnsimd");
        graph.Message(11, ValueInfo("x", network.Inputs));
        graph.Message(12, ValueInfo("y", network.Outputs));

        var model = new Proto();
        model.Varint(1, 7); // ir_version
        model.Message(8, new Proto().String(1, "").Varint(2, 13)); // opset_import
        model.Message(7, graph);
        return model.ToArray();
    }

    private static Proto Node(string op, string[] inputs, string output)
    {
        var node = new Proto();
        foreach (string input in inputs)
        {
            node.String(1, input);
        }

        return node.String(2, output).String(4, op);
    }

    private static Proto Tensor(string name, long[] dims, float[] values)
    {
        var tensor = new Proto();
        foreach (long d in dims)
        {
            tensor.Varint(1, d);
        }

        var raw = new byte[values.Length * 4];
        Buffer.BlockCopy(values, 0, raw, 0, raw.Length); // little-endian, as ONNX raw_data requires
        return tensor.Varint(2, 1).String(8, name).Bytes(9, raw);
    }

    private static Proto ValueInfo(string name, int width)
    {
        var shape = new Proto()
            .Message(1, new Proto().String(2, "batch"))
            .Message(1, new Proto().Varint(1, width));
        var tensorType = new Proto().Varint(1, 1).Message(2, shape);
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
