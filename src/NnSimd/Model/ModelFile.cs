using System.Globalization;
using NnSimd.IO;

namespace NnSimd.Model;

/// <summary>
/// A network as a self-describing safetensors file: tensors <c>W1..Wn</c> (<c>[inputs x outputs]</c>) and
/// <c>b1..bn</c>, float32, and in <c>__metadata__</c> the format, the layer widths and the activations
/// (e.g. <c>sigmoid,sigmoid,softmax</c>). Any safetensors reader can open it; NnSimd packs the weights for its
/// GEMM as it loads them.
/// </summary>
public static partial class ModelFile
{
    /// <summary>Metadata key of the activations, one per layer, comma-separated.</summary>
    private const string ActivationsKey = "activations";

    /// <summary>Metadata key of the layer widths, e.g. <c>784,50,100,10</c>.</summary>
    private const string LayersKey = "layers";

    /// <summary>Metadata key naming the format.</summary>
    private const string FormatKey = "format";

    /// <summary>The format name written under <see cref="FormatKey"/>.</summary>
    private const string FormatName = "nnsimd-mlp";

    /// <summary>
    /// Loads a network from any model file NnSimd reads, told apart by its first bytes: an NnSimd safetensors
    /// model, safetensors with PyTorch names, a PyTorch <c>torch.save(state_dict)</c> file, or a pickle or
    /// .npz of <c>W1..Wn</c>, <c>b1..bn</c>. <paramref name="activations"/> (one per layer) are required for
    /// the files that name none. ONNX models load through the NnSimd.Onnx package.
    /// </summary>
    public static Network Load(string path, IReadOnlyList<Activation>? activations = null) => Open(path).ToNetwork(activations);

    /// <summary>Reads a model file without building the network: its kind, tensors, layer chain and activations.</summary>
    public static ModelSource Open(string path)
    {
        FileKind kind = FileFormat.Detect(path);
        IReadOnlyList<Activation>? activations = null;
        IReadOnlyList<TensorData> tensors;
        bool inFileOrder = true;
        switch (kind)
        {
            case FileKind.SafeTensors:
                SafeTensors.Contents contents = SafeTensors.Read(path);
                if (contents.Metadata.GetValueOrDefault(FormatKey) == Int8FormatName)
                {
                    throw new NnSimdFormatException(path, null, $"it is an int8 model ({Int8FormatName}): load it with {nameof(ModelFile)}.{nameof(LoadQuantized)}.");
                }

                tensors = contents.Tensors;
                inFileOrder = false;
                if (contents.Metadata.TryGetValue(ActivationsKey, out string? text))
                {
                    activations = ParseActivations(text);
                }

                break;
            case FileKind.PyTorch:
                tensors = PyTorchFile.Read(path);
                break;
            case FileKind.Pickle:
                tensors = [.. PickleReader.ReadArrays(path).Values];
                break;
            case FileKind.Npz:
                tensors = Npz.Read(path);
                break;
            default:
                throw new NnSimdFormatException(path, null,
                    $"it is {FileFormat.Describe(kind)}, not a model: NnSimd loads safetensors, PyTorch .pt state_dicts, and pickles or .npz files of W1..Wn, b1..bn (ONNX through NnSimd.Onnx).");
        }

        return new ModelSource(path, kind, tensors, LayerChain.Find(tensors, path, inFileOrder), activations);
    }

    /// <summary>Saves <paramref name="network"/> as safetensors, atomically.</summary>
    public static void Save(Network network, string path)
    {
        ArgumentNullException.ThrowIfNull(network);
        var tensors = new List<TensorData>();
        for (int i = 0; i < network.Layers.Count; i++)
        {
            DenseLayer layer = network.Layers[i];
            tensors.Add(TensorData.FromFloats($"W{i + 1}", [layer.Inputs, layer.Outputs], layer.GetWeights()));
            tensors.Add(TensorData.FromFloats($"b{i + 1}", [layer.Outputs], layer.Bias.ToArray()));
        }

        SafeTensors.Write(path, tensors, Metadata(network.Layers.Select(l => l.Activation).ToList(), Widths(network)));
    }

    /// <summary>The metadata that makes a file of W1..Wn, b1..bn a model.</summary>
    private static Dictionary<string, string> Metadata(IReadOnlyList<Activation> activations, IReadOnlyList<int> widths) => new()
    {
        [FormatKey] = FormatName,
        [LayersKey] = string.Join(',', widths.Select(w => w.ToString(CultureInfo.InvariantCulture))),
        [ActivationsKey] = FormatActivations(activations),
    };

    /// <summary>
    /// Builds a network from tensors named W1..Wn and b1..bn (2-D weights <c>[inputs x outputs]</c>, 1-D
    /// biases), one activation per layer. Errors name the tensor and both shapes.
    /// </summary>
    public static Network FromTensors(IReadOnlyDictionary<string, TensorData> tensors, IReadOnlyList<Activation> activations, string source)
    {
        ArgumentNullException.ThrowIfNull(tensors);
        ArgumentNullException.ThrowIfNull(activations);
        int count = 0;
        while (tensors.ContainsKey($"W{count + 1}"))
        {
            count++;
        }

        if (count == 0)
        {
            throw new NnSimdFormatException(source, null, $"no weights W1; the tensors are {string.Join(", ", tensors.Keys)}.");
        }

        if (activations.Count != count)
        {
            throw new NnSimdFormatException(source, null, $"{count} layers (W1..W{count}) but {activations.Count} activations ({FormatActivations(activations)}).");
        }

        var layers = new DenseLayer[count];
        for (int i = 0; i < count; i++)
        {
            TensorData w = tensors[$"W{i + 1}"];
            if (!tensors.TryGetValue($"b{i + 1}", out TensorData? b))
            {
                throw new NnSimdFormatException(source, null, $"W{i + 1} has no bias b{i + 1}.");
            }

            if (w.Shape.Count != 2 || w.Floats is null)
            {
                throw new NnSimdFormatException(source, null, $"W{i + 1} must be a 2-D float tensor, not {w.SourceDType} {w.ShapeText}.");
            }

            if (b.Shape.Count != 1 || b.Floats is null || b.Shape[0] != w.Shape[1])
            {
                throw new NnSimdFormatException(source, null, $"b{i + 1} must be a float vector of {w.Shape[1]} (W{i + 1} is {w.ShapeText}), not {b.SourceDType} {b.ShapeText}.");
            }

            if (i > 0 && w.Shape[0] != layers[i - 1].Outputs)
            {
                throw new NnSimdFormatException(source, null, $"W{i + 1} is {w.ShapeText} but W{i} gives {layers[i - 1].Outputs} outputs.");
            }

            layers[i] = new DenseLayer(w.Floats, b.Floats, w.Shape[0], w.Shape[1], activations[i]);
        }

        try
        {
            return new Network(layers);
        }
        catch (ArgumentException e)
        {
            throw new NnSimdFormatException(source, null, e.Message);
        }
    }

    /// <summary>Parses <c>sigmoid,relu,softmax</c> (case-insensitive).</summary>
    public static Activation[] ParseActivations(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
            .Select(a => Enum.TryParse(a, ignoreCase: true, out Activation act) && Enum.IsDefined(act)
                ? act
                : throw new FormatException($"'{a}' is not an activation (identity, step, sigmoid, relu, tanh, softmax)."))
            .ToArray();
    }

    /// <summary>Formats activations as <c>sigmoid,sigmoid,softmax</c>.</summary>
    internal static string FormatActivations(IEnumerable<Activation> activations) =>
        string.Join(',', activations.Select(a => a.ToString().ToLowerInvariant()));

    private static int[] Widths(Network network) => [network.Inputs, .. network.Layers.Select(l => l.Outputs)];
}
