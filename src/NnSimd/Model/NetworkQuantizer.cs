using System.Numerics.Tensors;
using NnSimd.Internal;
using NnSimd.Kernels;

namespace NnSimd.Model;

/// <summary>
/// Post-training quantization of a <see cref="Network"/>: which layers run in int8, and the static scale of each
/// int8 layer's input, taken from the activation's bound or from the largest value seen on calibration rows.
/// </summary>
internal static class NetworkQuantizer
{
    /// <summary>Calibration rows per forward block: bounds the memory of a large calibration set.</summary>
    private const int BlockRows = 1024;

    public static QuantizedNetwork Quantize(Network network, ReadOnlySpan<float> calibration, int smallestInt8Layer)
    {
        if (smallestInt8Layer < 0)
        {
            Guard.ThrowOutOfRange(nameof(smallestInt8Layer), smallestInt8Layer, "smallestInt8Layer must not be negative.");
        }

        int inputs = network.Inputs;
        if (calibration.Length == 0 || calibration.Length % inputs != 0)
        {
            Guard.ThrowArgument($"calibration has {calibration.Length} elements, not a whole positive number of rows of {inputs}.", nameof(calibration));
        }

        (float[] min, float[] max) = Ranges(network, calibration);
        IReadOnlyList<DenseLayer> layers = network.Layers;
        var quantized = new QuantizedLayer[layers.Count];
        for (int i = 0; i < layers.Count; i++)
        {
            float? scale = i == 0
                ? (min[0] >= 0 ? ScaleOf(max[0]) : null)
                : InputScale(layers[i - 1].Activation, max[i]);
            DenseLayer layer = layers[i];
            quantized[i] = scale is float s && (long)layer.Inputs * layer.Outputs >= smallestInt8Layer
                ? new QuantizedLayer(QuantizedMatrix.Quantize(layer.GetWeights(), layer.Inputs, layer.Outputs), s, layer.Bias.ToArray(), layer.Activation)
                : new QuantizedLayer(layer);
        }

        return new QuantizedNetwork(quantized);
    }

    /// <summary>
    /// The scale of bytes that hold the outputs of <paramref name="activation"/>, or null where they can be negative.
    /// Sigmoid and step are bounded by 1, so their scale needs no calibration and nothing ever saturates.
    /// </summary>
    private static float? InputScale(Activation activation, float observedMax) => activation switch
    {
        Activation.Sigmoid or Activation.Step => 1f / 255,
        Activation.Relu => ScaleOf(observedMax),
        _ => null,
    };

    /// <summary>max / 255, so the largest value seen maps to byte 255; 1 when nothing positive was seen.</summary>
    private static float ScaleOf(float max) => max > 0 ? max / 255 : 1f;

    /// <summary>
    /// min[i] and max[i]: the range of layer i's input over the calibration rows (min[0], max[0] of the rows
    /// themselves). A NaN or infinite value is refused with its row and column.
    /// </summary>
    private static (float[] Min, float[] Max) Ranges(Network network, ReadOnlySpan<float> calibration)
    {
        IReadOnlyList<DenseLayer> layers = network.Layers;
        var min = new float[layers.Count];
        var max = new float[layers.Count];
        Array.Fill(min, float.PositiveInfinity);
        Array.Fill(max, float.NegativeInfinity);
        int inputs = network.Inputs;
        int rows = calibration.Length / inputs;
        int widest = layers.Max(l => l.Outputs);
        var a = new float[Math.Min(rows, BlockRows) * widest];
        var b = new float[a.Length];
        for (int r0 = 0; r0 < rows; r0 += BlockRows)
        {
            int n = Math.Min(BlockRows, rows - r0);
            ReadOnlySpan<float> x = calibration.Slice(r0 * inputs, n * inputs);
            for (int i = 0; i < layers.Count; i++)
            {
                Observe(x, i, r0, layers[i].Inputs, min, max);
                Span<float> y = (i % 2 == 0 ? a : b).AsSpan(0, n * layers[i].Outputs);
                layers[i].Forward(x, n, y, layers[i].Activation);
                x = y;
            }
        }

        return (min, max);
    }

    private static void Observe(ReadOnlySpan<float> x, int layer, int firstRow, int width, float[] min, float[] max)
    {
        float lo = TensorPrimitives.Min(x), hi = TensorPrimitives.Max(x);
        if (!float.IsFinite(lo) || !float.IsFinite(hi))
        {
            int at = 0;
            while (float.IsFinite(x[at]))
            {
                at++;
            }

            string where = layer == 0 ? "calibration" : $"layer {layer - 1}'s output on calibration";
            Guard.ThrowArgument($"{where} row {firstRow + (at / width)}, column {at % width} is {x[at]}: calibration needs finite values.", "calibration");
        }

        min[layer] = Math.Min(min[layer], lo);
        max[layer] = Math.Max(max[layer], hi);
    }
}
