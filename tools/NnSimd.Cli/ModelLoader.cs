using NnSimd.Cli.Pickle;
using NnSimd.IO;
using NnSimd.Model;

namespace NnSimd.Cli;

/// <summary>Loads a network from the book's pickle or from a safetensors model file.</summary>
internal static class ModelLoader
{
    /// <summary>The book's network: sigmoid hidden layers and a softmax output.</summary>
    public static Activation[] BookActivations(int layers) =>
        [.. Enumerable.Repeat(Activation.Sigmoid, layers - 1), Activation.Softmax];

    /// <summary>
    /// A .pkl of W1..Wn, b1..bn (activations: <paramref name="activations"/>, else the book's), or a
    /// .safetensors model (activations from its metadata unless given).
    /// </summary>
    public static Network Load(string path, string? activations = null)
    {
        Activation[]? acts = activations is null ? null : ModelFile.ParseActivations(activations);
        if (path.EndsWith(".pkl", StringComparison.OrdinalIgnoreCase) || path.EndsWith(".pickle", StringComparison.OrdinalIgnoreCase))
        {
            IReadOnlyDictionary<string, TensorData> arrays = PickleReader.ReadArrays(path);
            int layers = arrays.Keys.Count(k => k.Length > 1 && k[0] == 'W' && char.IsDigit(k[1]));
            return ModelFile.FromTensors(arrays, acts ?? BookActivations(Math.Max(layers, 1)), path);
        }

        return ModelFile.Load(path, acts);
    }
}
