using NnSimd.Internal;
using NnSimd.Kernels;

namespace NnSimd.Model;

/// <summary>
/// One layer of a <see cref="QuantizedNetwork"/>: either int8, y = activation(InputScale · (q(x) · Q) · diag(s) + b)
/// with Q the int8 weights (symmetric per output column, w ≈ Q s) and q(x) the layer's input quantized to unsigned
/// bytes with one static scale (x ≈ InputScale · q(x)), the integer products summed exactly; or float32, as the
/// <see cref="DenseLayer"/> it came from, where its input can be negative. Immutable.
/// </summary>
public sealed class QuantizedLayer
{
    private readonly float[] _bias;

    /// <summary>An int8 layer over weights already quantized.</summary>
    internal QuantizedLayer(QuantizedMatrix weights, float inputScale, float[] bias, Activation activation)
    {
        if (!(float.IsFinite(inputScale) && inputScale > 0))
        {
            Guard.ThrowArgument($"the input scale must be finite and positive, not {inputScale}.", nameof(inputScale));
        }

        Guard.Length(bias, weights.Columns, nameof(bias));
        Int8 = weights;
        InputScale = inputScale;
        _bias = bias;
        Inputs = weights.Rows;
        Outputs = weights.Columns;
        Activation = activation;
    }

    /// <summary>A layer kept in float32.</summary>
    internal QuantizedLayer(DenseLayer layer)
    {
        Float = layer;
        _bias = layer.Bias.ToArray();
        Inputs = layer.Inputs;
        Outputs = layer.Outputs;
        Activation = layer.Activation;
    }

    /// <summary>Width of the input rows.</summary>
    public int Inputs { get; }

    /// <summary>Width of the output rows.</summary>
    public int Outputs { get; }

    /// <summary>The activation applied after the affine map.</summary>
    public Activation Activation { get; }

    /// <summary>Whether the layer runs in int8 (else in float32).</summary>
    public bool IsInt8 => Int8 is not null;

    /// <summary>
    /// An int8 layer's input scale: its input is quantized to q = round(x / InputScale), clamped to [0, 255]. For
    /// the first layer this applies to float input rows; byte rows are used as they are, with scale 1 / divisor.
    /// 0 for a float32 layer.
    /// </summary>
    public float InputScale { get; }

    /// <summary>The bias, <c>[Outputs]</c>.</summary>
    public ReadOnlySpan<float> Bias => _bias;

    internal QuantizedMatrix? Int8 { get; }

    internal DenseLayer? Float { get; }

    /// <summary>An int8 layer's weights, row-major <c>[Inputs x Outputs]</c>, each in [-127, 127].</summary>
    public sbyte[] GetInt8Weights() => (sbyte[])RequireInt8().Weights.Clone();

    /// <summary>An int8 layer's weight scales, one per output column: w ≈ q s.</summary>
    public float[] GetWeightScales() => (float[])RequireInt8().Scales.Clone();

    /// <summary>The weights as float32, row-major <c>[Inputs x Outputs]</c>: q s for an int8 layer.</summary>
    public float[] GetWeights()
    {
        if (Float is not null)
        {
            return Float.GetWeights();
        }

        QuantizedMatrix m = Int8!;
        var w = new float[m.Weights.Length];
        for (int i = 0; i < w.Length; i++)
        {
            w[i] = m.Weights[i] * m.Scales[i % m.Columns];
        }

        return w;
    }

    /// <inheritdoc />
    public override string ToString() => $"{(IsInt8 ? "Int8" : "Float32")} {Inputs}->{Outputs} {Activation}";

    private QuantizedMatrix RequireInt8() =>
        Int8 ?? throw new InvalidOperationException($"Layer {Inputs}->{Outputs} runs in float32 and has no int8 weights.");
}
