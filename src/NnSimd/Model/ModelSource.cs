using NnSimd.Internal;
using NnSimd.IO;

namespace NnSimd.Model;

/// <summary>
/// A model file as read, before it becomes a <see cref="Network"/>: what kind of file it is, its tensors (with
/// the element type each had in the file), the layer chain they form, and the activations the file names, if
/// any (an NnSimd model does; a PyTorch state_dict, a pickle or an .npz does not).
/// </summary>
public sealed class ModelSource
{
    internal ModelSource(string path, FileKind kind, IReadOnlyList<TensorData> tensors, IReadOnlyList<LayerSource> chain, IReadOnlyList<Activation>? activations)
    {
        Path = path;
        Kind = kind;
        Tensors = tensors;
        Chain = chain;
        Activations = activations;
    }

    /// <summary>The file.</summary>
    public string Path { get; }

    /// <summary>What the file is.</summary>
    public FileKind Kind { get; }

    /// <summary>The tensors, in the file's order.</summary>
    public IReadOnlyList<TensorData> Tensors { get; }

    /// <summary>The dense layers the tensors form, first to last.</summary>
    public IReadOnlyList<LayerSource> Chain { get; }

    /// <summary>The activations the file names, or null when it names none.</summary>
    public IReadOnlyList<Activation>? Activations { get; }

    /// <summary>
    /// The network: <paramref name="activations"/> (one per layer) if given, else those the file names. Weights
    /// stored <c>[out, in]</c> are transposed; everything is packed for the GEMM once, here.
    /// </summary>
    public Network ToNetwork(IReadOnlyList<Activation>? activations = null)
    {
        activations ??= Activations ?? throw new NnSimdFormatException(Path, null,
            $"{FileFormat.Describe(Kind)} names no activations: give one per layer ({Chain.Count} layers), e.g. {Example(Chain.Count)}.");
        if (activations.Count != Chain.Count)
        {
            throw new NnSimdFormatException(Path, null,
                $"{Chain.Count} layers ({string.Join(", ", Chain.Select(l => l.Weight))}) but {activations.Count} activations ({ModelFile.FormatActivations(activations)}).");
        }

        var byName = Tensors.ToDictionary(t => t.Name);
        var layers = new DenseLayer[Chain.Count];
        for (int i = 0; i < layers.Length; i++)
        {
            LayerSource l = Chain[i];
            float[] w = byName[l.Weight].Floats!;
            if (l.Transposed)
            {
                w = Transposition.Transpose(w, l.Outputs, l.Inputs);
            }

            layers[i] = new DenseLayer(w, byName[l.Bias].Floats!, l.Inputs, l.Outputs, activations[i]);
        }

        try
        {
            return new Network(layers);
        }
        catch (ArgumentException e)
        {
            throw new NnSimdFormatException(Path, null, e.Message);
        }
    }

    private static string Example(int layers) => string.Join(',', [.. Enumerable.Repeat("relu", Math.Max(0, layers - 1)), "softmax"]);
}
