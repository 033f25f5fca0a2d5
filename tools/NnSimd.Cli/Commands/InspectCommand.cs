using System.CommandLine;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using NnSimd.IO;
using NnSimd.Model;

namespace NnSimd.Cli.Commands;

/// <summary><c>nnsimd inspect FILE</c>: each tensor's name, dtype, shape, range and a checksum of its values, and the layer chain a model file loads as.</summary>
internal static class InspectCommand
{
    public static Command Create()
    {
        var file = CommonOptions.InputArgument("file", "A .pt, .pkl, .npy, .npz, .safetensors or IDX file.");
        var json = CommonOptions.Json();
        var command = new Command("inspect", "List the tensors in a file.") { file, json };
        Checks.FileChecks.Add(command, [file]);
        command.SetAction(r => Cli.Guarded(() => Run(r.GetValue(file)!, r.GetValue(json))));
        return command;
    }

    private static int Run(string path, bool json)
    {
        IReadOnlyList<TensorData> tensors = TensorFiles.Read(path);
        var rows = tensors.Select(t => (t.Name, DType: t.SourceDType.ToString(), Shape: t.ShapeText, Range: Range(t), Sum: Checksum(t))).ToList();
        (ModelSource? model, string? notModel) = AsModel(path);
        (QuantizedNetwork? int8, notModel) = model is null && ModelLoader.IsInt8(path) ? AsInt8(path) : (null, notModel);
        if (json)
        {
            var fields = new List<(string, object)>
            {
                ("file", path),
                ("format", FileFormat.Detect(path).ToString()),
                ("tensors", rows.Select(r => (IEnumerable<(string, object)>)
                    [("name", r.Name), ("dtype", r.DType), ("shape", r.Shape), ("min", r.Range.Min), ("max", r.Range.Max), ("sha256_16", r.Sum)]).ToList()),
            };
            if (model is not null)
            {
                fields.Add(("layers", model.Chain.Select(l => (IEnumerable<(string, object)>)
                    [("weight", l.Weight), ("bias", l.Bias), ("inputs", l.Inputs), ("outputs", l.Outputs), ("transposed", l.Transposed)]).ToList()));
                fields.Add(("activations", model.Activations is null ? "" : ModelLoader.Spell(model.Activations)));
            }

            if (int8 is not null)
            {
                fields.Add(("int8_network", int8.ToString()));
            }

            Console.WriteLine(Json.Object(fields));
            return 0;
        }

        Console.WriteLine($"{path}: {FileFormat.Describe(FileFormat.Detect(path))}, {tensors.Count} tensor(s)");
        foreach (var r in rows)
        {
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"  {r.Name,-12} {r.DType,-4} {r.Shape,-14} min {r.Range.Min,12:G6}  max {r.Range.Max,12:G6}  sha256 {r.Sum}"));
        }

        if (model is not null)
        {
            Console.WriteLine($"as a network ({(model.Activations is null ? "no activations in the file: name them with --activations" : "activations " + ModelLoader.Spell(model.Activations))}):");
            for (int i = 0; i < model.Chain.Count; i++)
            {
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  layer {i + 1}: {model.Chain[i]}"));
            }
        }
        else if (int8 is not null)
        {
            Console.WriteLine($"as an int8 network: {int8}");
            for (int i = 0; i < int8.Layers.Count; i++)
            {
                QuantizedLayer l = int8.Layers[i];
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"  layer {i + 1}: {l.Inputs} -> {l.Outputs} {l.Activation.ToString().ToLowerInvariant()}, {(l.IsInt8 ? $"int8, input scale {l.InputScale:G6}" : "float32")}"));
            }
        }
        else if (notModel is not null)
        {
            Console.WriteLine($"not a network: {notModel}");
        }

        return 0;
    }

    /// <summary>The layer chain the file would load as, or why it would not (for the kinds that can hold a model).</summary>
    private static (ModelSource? Model, string? Problem) AsModel(string path)
    {
        if (FileFormat.Detect(path) is not (FileKind.SafeTensors or FileKind.PyTorch or FileKind.Pickle or FileKind.Npz))
        {
            return (null, null);
        }

        try
        {
            return (ModelFile.Open(path), null);
        }
        catch (NnSimdFormatException e)
        {
            return (null, e.Message);
        }
    }

    /// <summary>The int8 network the file loads as, or why it would not.</summary>
    private static (QuantizedNetwork? Network, string? Problem) AsInt8(string path)
    {
        try
        {
            return (ModelFile.LoadQuantized(path), null);
        }
        catch (NnSimdFormatException e)
        {
            return (null, e.Message);
        }
    }

    private static (double Min, double Max) Range(TensorData t)
    {
        if (t.ElementCount == 0)
        {
            return (0, 0);
        }

        return t.Floats is { } f ? (f.Min(), f.Max())
            : t.Bytes is { } b ? (b.Min(), b.Max())
            : (t.Integers!.Min(), t.Integers!.Max());
    }

    /// <summary>SHA-256 (first 16 hex digits) of the values as little-endian float32, uint8 or int64: equal values give equal sums across formats.</summary>
    private static string Checksum(TensorData t)
    {
        byte[] hash = t.Floats is { } f ? SHA256.HashData(MemoryMarshal.AsBytes(f.AsSpan()))
            : t.Bytes is { } b ? SHA256.HashData(b)
            : SHA256.HashData(MemoryMarshal.AsBytes(t.Integers!.AsSpan()));
        return Convert.ToHexStringLower(hash)[..16];
    }
}
