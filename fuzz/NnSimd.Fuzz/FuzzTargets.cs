using NnSimd.IO;
using NnSimd.Model;
using NnSimd.Onnx;

namespace NnSimd.Fuzz;

/// <summary>
/// One fuzz target per parser, each the public entry point the CLI calls for that format, on a file holding the
/// bytes given. A parser may refuse the bytes only with <see cref="NnSimdFormatException"/>; any other exception
/// escapes, and the fuzzer (or the replay test) counts it as a crash.
/// </summary>
public static class FuzzTargets
{
    public static readonly IReadOnlyDictionary<string, Action<string>> All = new Dictionary<string, Action<string>>
    {
        ["pickle"] = path => PickleReader.ReadArrays(path),
        ["pt"] = path => PyTorchFile.Read(path),
        ["safetensors"] = path => SafeTensors.Read(path),
        ["npy"] = path => Npy.Read(path),
        ["npz"] = path => Npz.Read(path),
        ["idx"] = path => Idx.Read(path),
        ["onnx"] = path => OnnxModel.Load(path),
        ["model"] = path => ModelFile.Open(path),
    };

    /// <summary>Writes <paramref name="data"/> to <paramref name="scratch"/> and parses it as <paramref name="target"/>.</summary>
    public static void Run(string target, ReadOnlySpan<byte> data, string scratch)
    {
        File.WriteAllBytes(scratch, data.ToArray());
        try
        {
            All[target](scratch);
        }
        catch (NnSimdFormatException)
        {
            // The one way to refuse a file.
        }
    }
}
