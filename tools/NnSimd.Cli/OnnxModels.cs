using NnSimd.IO;
using NnSimd.Model;
using NnSimd.Onnx;

namespace NnSimd.Cli;

/// <summary>ONNX models where the CLI takes a model: the library's format detection cannot see them.</summary>
internal static class OnnxModels
{
    /// <summary>
    /// ONNX has no magic bytes (a protobuf opens with whatever field comes first), so a model file is ONNX when
    /// the library's detection does not recognise it and it is named .onnx or parses as a model with a graph.
    /// </summary>
    public static bool Recognises(string path) =>
        FileFormat.Detect(path) == FileKind.Unknown && (path.EndsWith(".onnx", StringComparison.OrdinalIgnoreCase) || OnnxModel.IsOnnx(path));

    /// <summary>The network, with <paramref name="activations"/> in place of the file's own when given.</summary>
    public static Network Load(string path, Activation[]? activations)
    {
        Network network = OnnxModel.Load(path);
        if (activations is null)
        {
            return network;
        }

        if (activations.Length != network.Layers.Count)
        {
            throw new NnSimdFormatException(path, null, $"{network.Layers.Count} layers ({network}) but {activations.Length} activations ({ModelLoader.Spell(activations)}).");
        }

        try
        {
            return new Network([.. network.Layers.Select((l, i) => new DenseLayer(l.GetWeights(), l.Bias, l.Inputs, l.Outputs, activations[i]))]);
        }
        catch (ArgumentException e)
        {
            throw new NnSimdFormatException(path, null, e.Message);
        }
    }
}
