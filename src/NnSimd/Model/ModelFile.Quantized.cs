using NnSimd.IO;
using NnSimd.Kernels;

namespace NnSimd.Model;

/// <summary>
/// The int8 model file: safetensors, with <c>format</c> <c>nnsimd-mlp-int8</c>, the layer widths and activations in
/// <c>__metadata__</c>. Layer i (from 1) is either int8, tensors <c>Wi</c> (I8 <c>[inputs x outputs]</c>, each in
/// [-127, 127]), <c>Wi_scales</c> (F32 <c>[outputs]</c>: w ≈ q s), <c>xi_scale</c> (F32 <c>[1]</c>: the input's
/// byte scale) and <c>bi</c>; or float32, <c>Wi</c> (F32) and <c>bi</c>, as in the float model file.
/// </summary>
public static partial class ModelFile
{
    /// <summary>The format name of an int8 model file.</summary>
    private const string Int8FormatName = "nnsimd-mlp-int8";

    /// <summary>Saves <paramref name="network"/> as an int8 safetensors model, atomically.</summary>
    public static void Save(QuantizedNetwork network, string path)
    {
        ArgumentNullException.ThrowIfNull(network);
        var tensors = new List<TensorData>();
        for (int i = 0; i < network.Layers.Count; i++)
        {
            QuantizedLayer layer = network.Layers[i];
            int[] shape = [layer.Inputs, layer.Outputs];
            if (layer.IsInt8)
            {
                tensors.Add(TensorData.FromIntegers($"W{i + 1}", shape, Array.ConvertAll(layer.GetInt8Weights(), q => (long)q), TensorDType.I8));
                tensors.Add(TensorData.FromFloats($"W{i + 1}_scales", [layer.Outputs], layer.GetWeightScales()));
                tensors.Add(TensorData.FromFloats($"x{i + 1}_scale", [1], [layer.InputScale]));
            }
            else
            {
                tensors.Add(TensorData.FromFloats($"W{i + 1}", shape, layer.GetWeights()));
            }

            tensors.Add(TensorData.FromFloats($"b{i + 1}", [layer.Outputs], layer.Bias.ToArray()));
        }

        Dictionary<string, string> metadata = Metadata(
            network.Layers.Select(l => l.Activation).ToList(), [network.Inputs, .. network.Layers.Select(l => l.Outputs)]);
        metadata[FormatKey] = Int8FormatName;
        SafeTensors.Write(path, tensors, metadata);
    }

    /// <summary>Loads an int8 model saved by <see cref="Save(QuantizedNetwork, string)"/>; errors name the file and the tensor.</summary>
    public static QuantizedNetwork LoadQuantized(string path)
    {
        if (FileFormat.Detect(path) != FileKind.SafeTensors)
        {
            throw new NnSimdFormatException(path, null, "an int8 model is a safetensors file; this is not one.");
        }

        SafeTensors.Contents contents = SafeTensors.Read(path);
        string? format = contents.Metadata.GetValueOrDefault(FormatKey);
        if (format != Int8FormatName)
        {
            throw new NnSimdFormatException(path, null, format == FormatName
                ? "it is a float32 model: load it with ModelFile.Load, or quantize it first (Network.Quantize, nnsimd quantize)."
                : $"its metadata names the format '{format ?? "(none)"}', not {Int8FormatName}.");
        }

        if (!contents.Metadata.TryGetValue(ActivationsKey, out string? text))
        {
            throw new NnSimdFormatException(path, null, "its metadata names no activations.");
        }

        Activation[] activations;
        try
        {
            activations = ParseActivations(text);
        }
        catch (FormatException e)
        {
            throw new NnSimdFormatException(path, null, e.Message);
        }

        Dictionary<string, TensorData> tensors = contents.Tensors.ToDictionary(t => t.Name);
        int count = 0;
        while (tensors.ContainsKey($"W{count + 1}"))
        {
            count++;
        }

        if (count == 0 || count != activations.Length)
        {
            throw new NnSimdFormatException(path, null, $"{count} layers (W1..W{count}) but {activations.Length} activations ({text}).");
        }

        var layers = new QuantizedLayer[count];
        for (int i = 0; i < count; i++)
        {
            layers[i] = ReadLayer(tensors, i + 1, activations[i], path);
            if (i > 0 && layers[i].Inputs != layers[i - 1].Outputs)
            {
                throw new NnSimdFormatException(path, null, $"W{i + 1} is {layers[i].Inputs}x{layers[i].Outputs} but W{i} gives {layers[i - 1].Outputs} outputs.");
            }
        }

        try
        {
            return new QuantizedNetwork(layers);
        }
        catch (ArgumentException e)
        {
            throw new NnSimdFormatException(path, null, e.Message);
        }
    }

    private static QuantizedLayer ReadLayer(Dictionary<string, TensorData> tensors, int n, Activation activation, string path)
    {
        TensorData w = tensors[$"W{n}"];
        if (w.Shape.Count != 2 || w.Shape[0] == 0 || w.Shape[1] == 0)
        {
            throw new NnSimdFormatException(path, null, $"W{n} must be a 2-D tensor, not {w.SourceDType} {w.ShapeText}.");
        }

        int inputs = w.Shape[0], outputs = w.Shape[1];
        float[] bias = Vector(tensors, $"b{n}", outputs, path);
        if (w.Floats is not null && w.SourceDType == TensorDType.F32)
        {
            return new QuantizedLayer(new DenseLayer(w.Floats, bias, inputs, outputs, activation));
        }

        if (w.SourceDType != TensorDType.I8)
        {
            throw new NnSimdFormatException(path, null, $"W{n} must be I8 (int8 layer) or F32 (float32 layer), not {w.SourceDType}.");
        }

        long[] values = w.Integers!;
        var q = new sbyte[values.Length];
        for (int i = 0; i < values.Length; i++)
        {
            if (values[i] < -127)
            {
                throw new NnSimdFormatException(path, null, $"W{n}[{i / outputs}, {i % outputs}] is {values[i]}: symmetric int8 weights are in [-127, 127].");
            }

            q[i] = (sbyte)values[i];
        }

        float[] scales = Vector(tensors, $"W{n}_scales", outputs, path);
        float inputScale = Vector(tensors, $"x{n}_scale", 1, path)[0];
        foreach ((string name, float[] positive) in new[] { ($"W{n}_scales", scales), ($"x{n}_scale", new[] { inputScale }) })
        {
            int bad = Array.FindIndex(positive, s => !(float.IsFinite(s) && s > 0));
            if (bad >= 0)
            {
                throw new NnSimdFormatException(path, null, $"{name}[{bad}] is {positive[bad]}: scales must be finite and positive.");
            }
        }

        return new QuantizedLayer(QuantizedMatrix.FromInt8(q, scales, inputs, outputs), inputScale, bias, activation);
    }

    /// <summary>A float32 vector of <paramref name="length"/> elements named <paramref name="name"/>, or an error naming it.</summary>
    private static float[] Vector(Dictionary<string, TensorData> tensors, string name, int length, string path)
    {
        if (!tensors.TryGetValue(name, out TensorData? t))
        {
            throw new NnSimdFormatException(path, null, $"the tensor {name} is missing.");
        }

        if (t.Shape.Count != 1 || t.Shape[0] != length || t.Floats is null)
        {
            throw new NnSimdFormatException(path, null, $"{name} must be a float vector of {length}, not {t.SourceDType} {t.ShapeText}.");
        }

        return t.Floats;
    }
}
