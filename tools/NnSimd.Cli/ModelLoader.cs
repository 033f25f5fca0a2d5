using NnSimd.IO;
using NnSimd.Model;

namespace NnSimd.Cli;

/// <summary>Loads a network from any model file the library reads, with the CLI's defaults and notes.</summary>
internal static class ModelLoader
{
    /// <summary>The format an int8 model file names in its safetensors metadata.</summary>
    public const string Int8Format = "nnsimd-mlp-int8";

    /// <summary>The book's network: sigmoid hidden layers and a softmax output.</summary>
    public static Activation[] BookActivations(int layers) =>
        [.. Enumerable.Repeat(Activation.Sigmoid, layers - 1), Activation.Softmax];

    /// <summary>Activations as model files and <c>--activations</c> spell them: <c>sigmoid,sigmoid,softmax</c>.</summary>
    public static string Spell(IEnumerable<Activation> activations) => string.Join(',', activations).ToLowerInvariant();

    /// <summary>Whether <paramref name="path"/> is an int8 model: safetensors whose metadata names <see cref="Int8Format"/>.</summary>
    public static bool IsInt8(string path) =>
        FileFormat.Detect(path) == FileKind.SafeTensors && SafeTensors.Read(path).Metadata.GetValueOrDefault("format") == Int8Format;

    /// <summary>
    /// The network in <paramref name="path"/> (its format told by its first bytes), with
    /// <paramref name="activations"/> if given, else those the file names; a pickle or .npz of W1..Wn (the
    /// book's layout) defaults to the book's. Tensors converted to float32 are noted on stderr.
    /// </summary>
    public static Network Load(string path, string? activations = null)
    {
        Activation[]? acts = activations is null ? null : ModelFile.ParseActivations(activations);
        if (OnnxModels.Recognises(path))
        {
            return OnnxModels.Load(path, acts);
        }

        if (IsInt8(path))
        {
            throw new NnSimdFormatException(path, null,
                $"it is an int8 model ({Int8Format}), which this command does not take: nnsimd mnist and nnsimd predict run it; give this command the float32 model it was quantized from.");
        }

        ModelSource source = ModelFile.Open(path);
        if (acts is null && source.Activations is null && source.Kind is FileKind.Pickle or FileKind.Npz && source.Chain[0].Weight == "W1")
        {
            acts = BookActivations(source.Chain.Count);
        }

        Network network = source.ToNetwork(acts);
        foreach (TensorData t in source.Tensors.Where(t => t.Floats is not null && t.SourceDType != TensorDType.F32))
        {
            Console.Error.WriteLine($"nnsimd: note: {t.Name} was {t.SourceDType} and is used as float32.");
        }

        return network;
    }
}
