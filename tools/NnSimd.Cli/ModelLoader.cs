using NnSimd.Cli.Formats;
using NnSimd.IO;
using NnSimd.Model;

namespace NnSimd.Cli;

/// <summary>Loads a network from a safetensors model, the book's pickle, or an .npz of its arrays.</summary>
internal static class ModelLoader
{
    /// <summary>The book's network: sigmoid hidden layers and a softmax output.</summary>
    public static Activation[] BookActivations(int layers) =>
        [.. Enumerable.Repeat(Activation.Sigmoid, layers - 1), Activation.Softmax];

    /// <summary>
    /// A safetensors model (activations from its metadata unless given), or a .pkl or .npz of W1..Wn, b1..bn
    /// (activations: <paramref name="activations"/>, else the book's). The format is read from the file's
    /// first bytes; anything else is refused with what the file is.
    /// </summary>
    public static Network Load(string path, string? activations = null)
    {
        Activation[]? acts = activations is null ? null : ModelFile.ParseActivations(activations);
        FileKind kind = FileFormat.Detect(path);
        switch (kind)
        {
            case FileKind.SafeTensors:
                return ModelFile.Load(path, acts);
            case FileKind.Pickle or FileKind.Npz:
                var arrays = TensorFiles.Read(path).ToDictionary(t => t.Name);
                int layers = arrays.Keys.Count(k => k.Length > 1 && k[0] == 'W' && char.IsDigit(k[1]));
                return ModelFile.FromTensors(arrays, acts ?? BookActivations(Math.Max(layers, 1)), path);
            default:
                throw new NotSupportedException(
                    $"{path} is {FileFormat.Describe(kind)}, not a model: nnsimd runs a .safetensors model, the book's .pkl, or an .npz of W1..Wn and b1..bn ('nnsimd inspect FILE' lists what a file holds).");
        }
    }
}
