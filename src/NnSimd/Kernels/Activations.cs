using NnSimd.Internal;

namespace NnSimd.Kernels;

/// <summary>
/// Element-wise activations, out of place (<c>x</c> and <c>y</c> of equal length, disjoint or the very same
/// span) or in place. All widths give the same result for an element wherever it sits in the span.
/// Edges: sigmoid(-1000) = 0, sigmoid(1000) = 1, step(0) = 0, relu(-0) = 0; NaN in gives NaN out.
/// </summary>
public static class Activations
{
    /// <summary>y = x.</summary>
    public static void Identity(ReadOnlySpan<float> x, Span<float> y) => UnaryLoop.Apply<IdentityOp>(x, y);

    /// <summary>y = 1 where x &gt; 0, else 0.</summary>
    public static void Step(ReadOnlySpan<float> x, Span<float> y) => UnaryLoop.Apply<StepOp>(x, y);

    /// <summary>y = 1 / (1 + exp(-x)).</summary>
    public static void Sigmoid(ReadOnlySpan<float> x, Span<float> y) => UnaryLoop.Apply<SigmoidOp>(x, y);

    /// <summary>y = max(x, 0).</summary>
    public static void Relu(ReadOnlySpan<float> x, Span<float> y) => UnaryLoop.Apply<ReluOp>(x, y);

    /// <summary>y = tanh(x).</summary>
    public static void Tanh(ReadOnlySpan<float> x, Span<float> y) => UnaryLoop.Apply<TanhOp>(x, y);

    /// <summary>Applies <paramref name="activation"/> to <paramref name="x"/> in place.</summary>
    public static void InPlace(Activation activation, Span<float> x) => Apply(activation, x, x);

    /// <summary>
    /// y = activation(x). <see cref="Activation.Softmax"/> is row-wise and needs a row length: use
    /// <see cref="Softmax.Rows"/> for it.
    /// </summary>
    public static void Apply(Activation activation, ReadOnlySpan<float> x, Span<float> y)
    {
        switch (activation)
        {
            case Activation.Identity: Identity(x, y); break;
            case Activation.Step: Step(x, y); break;
            case Activation.Sigmoid: Sigmoid(x, y); break;
            case Activation.Relu: Relu(x, y); break;
            case Activation.Tanh: Tanh(x, y); break;
            case Activation.Softmax:
                throw new ArgumentException("Softmax is row-wise: call Softmax.Rows with the row length.", nameof(activation));
            default:
                throw new ArgumentOutOfRangeException(nameof(activation), activation, "Unknown activation.");
        }
    }
}
