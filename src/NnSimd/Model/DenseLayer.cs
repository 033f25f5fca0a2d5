using NnSimd.Internal;
using NnSimd.Kernels;

namespace NnSimd.Model;

/// <summary>
/// y = activation(x . W + b), with x: [batch x Inputs], W: [Inputs x Outputs], b: [Outputs].
/// The weights are packed once, here, into the GEMM's panel layout. Immutable: safe to share between threads.
/// </summary>
public sealed class DenseLayer
{
    private readonly float[] _bias;

    /// <summary>Builds a layer from row-major weights <c>[inputs x outputs]</c> and a bias of <c>outputs</c> entries.</summary>
    public DenseLayer(ReadOnlySpan<float> weights, ReadOnlySpan<float> bias, int inputs, int outputs, Activation activation)
    {
        Guard.Positive(inputs, nameof(inputs));
        Guard.Positive(outputs, nameof(outputs));
        Guard.Shape(weights, inputs, outputs, nameof(weights));
        Guard.Length(bias, outputs, nameof(bias));
        if (!Enum.IsDefined(activation))
        {
            throw new ArgumentOutOfRangeException(nameof(activation), activation, "Unknown activation.");
        }

        Inputs = inputs;
        Outputs = outputs;
        Activation = activation;
        Weights = PackedMatrix.Pack(weights, inputs, outputs);
        _bias = bias.ToArray();
    }

    /// <summary>
    /// A layer over <paramref name="weights"/> and <paramref name="bias"/> themselves, not copies: the trainer's
    /// layers, which it updates in place between steps and never hands out.
    /// </summary>
    internal DenseLayer(PackedMatrix weights, float[] bias, Activation activation)
    {
        Inputs = weights.Rows;
        Outputs = weights.Columns;
        Activation = activation;
        Weights = weights;
        _bias = bias;
    }

    /// <summary>Width of the input rows.</summary>
    public int Inputs { get; }

    /// <summary>Width of the output rows.</summary>
    public int Outputs { get; }

    /// <summary>The activation applied after the affine map.</summary>
    public Activation Activation { get; }

    /// <summary>The bias, <c>[Outputs]</c>.</summary>
    public ReadOnlySpan<float> Bias => _bias;

    /// <summary>The packed weights.</summary>
    public PackedMatrix Weights { get; }

    /// <summary>Copies the weights out, row-major <c>[Inputs x Outputs]</c>.</summary>
    public float[] GetWeights()
    {
        var w = new float[Inputs * Outputs];
        Weights.CopyTo(w);
        return w;
    }

    /// <summary>Runs the layer over <paramref name="rows"/> rows: the GEMM with bias and activation fused.</summary>
    internal void Forward(ReadOnlySpan<float> x, int rows, Span<float> y, Activation activation) =>
        Gemm.Multiply(x, rows, Inputs, Weights, _bias, activation, y);

    /// <inheritdoc />
    public override string ToString() => $"Dense {Inputs}->{Outputs} {Activation}";
}
