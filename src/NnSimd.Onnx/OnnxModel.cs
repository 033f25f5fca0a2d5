using Google.Protobuf;
using NnSimd.IO;
using NnSimd.Model;
using NnSimd.Onnx.Protos;

namespace NnSimd.Onnx;

/// <summary>
/// ONNX models as NnSimd networks. <see cref="Load"/> imports the graphs <c>torch.onnx.export</c> writes for an
/// MLP (opsets 9 to 21): <c>Gemm</c>, or <c>MatMul</c> then <c>Add</c>, per layer; <c>Relu</c>, <c>Sigmoid</c>,
/// <c>Tanh</c> between them; <c>Softmax</c> on the last axis at the end; <c>Flatten</c>, <c>Identity</c> and a
/// <c>Reshape</c> to rows anywhere; weights as initializers or <c>Constant</c> nodes; any batch size. A graph
/// that is anything else is refused, never approximated. <see cref="Save"/> writes any network NnSimd can
/// express in ONNX, which <see cref="Load"/> reads back bit for bit.
/// </summary>
public static class OnnxModel
{
    /// <summary>The operator set <see cref="Save"/> writes.</summary>
    public const int ExportOpset = 13;

    /// <summary>The IR version that goes with <see cref="ExportOpset"/> (ONNX 1.8).</summary>
    public const int ExportIrVersion = 7;

    /// <summary>
    /// Reads the network in the ONNX file <paramref name="path"/>. Tensors stored as external data are read
    /// only from files in the model's own folder. Throws <see cref="NnSimdFormatException"/> naming the
    /// file, and the node or tensor at fault, for a file that is not ONNX, is damaged, or is not an MLP NnSimd runs.
    /// </summary>
    public static Network Load(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        return OnnxImporter.Import(Read(path), path);
    }

    /// <summary>
    /// Writes <paramref name="network"/> to <paramref name="path"/> as ONNX (opset <see cref="ExportOpset"/>):
    /// per layer a <c>Gemm</c> with its weight stored <c>[outputs, inputs]</c> (transB, as PyTorch lays out
    /// <c>nn.Linear</c>) and its activation; input <c>x</c> and output <c>y</c> with a dynamic batch
    /// dimension. Atomic: the file is complete or untouched. A step activation has no ONNX operator and is refused.
    /// </summary>
    public static void Save(Network network, string path)
    {
        ArgumentNullException.ThrowIfNull(network);
        ArgumentNullException.ThrowIfNull(path);
        ModelProto model = OnnxExporter.Export(network);
        AtomicFile.Write(path, model.WriteTo);
    }

    /// <summary>Whether <paramref name="path"/> parses as an ONNX model with a graph (for callers that must tell ONNX apart from other files).</summary>
    public static bool IsOnnx(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        try
        {
            ModelProto model = Read(path);
            return model.Graph is not null && model.OpsetImport.Count > 0;
        }
        catch (NnSimdFormatException)
        {
            return false;
        }
    }

    /// <summary>The file as a ModelProto: sized before it is read, and any protobuf damage turned into one clear error.</summary>
    internal static ModelProto Read(string path)
    {
        byte[] bytes;
        using (var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1))
        {
            // protobuf messages are limited to 2 GiB; larger models keep their weights as external data.
            if (stream.Length > int.MaxValue)
            {
                throw new NnSimdFormatException(path, null, $"{stream.Length:N0} bytes is more than an ONNX protobuf can be (2 GiB); large weights belong in external data.");
            }

            bytes = new byte[stream.Length];
            stream.ReadExactly(bytes);
        }

        try
        {
            return ModelProto.Parser.ParseFrom(bytes);
        }
        catch (InvalidProtocolBufferException e)
        {
            throw new NnSimdFormatException(path, null, $"not a readable ONNX model (the protobuf is damaged or truncated: {e.Message.TrimEnd('.')}).");
        }
    }
}
