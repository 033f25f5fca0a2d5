using System.Runtime.Intrinsics;
using NnSimd.Internal;

namespace NnSimd.Kernels;

/// <summary>
/// dz = dy * f'(z), with f' written in terms of the layer's saved output y = f(z), so the backward pass needs
/// no pre-activations: sigmoid y (1 - y), ReLU 1 where y &gt; 0, tanh 1 - y^2, identity 1.
/// </summary>
public static class ActivationGradients
{
    /// <summary>dz = dy * f'(z) given y = f(z); <paramref name="dz"/> may be <paramref name="dy"/>.</summary>
    public static void Backward(Activation activation, ReadOnlySpan<float> y, ReadOnlySpan<float> dy, Span<float> dz)
    {
        Guard.SameLength(y, dy, nameof(y), nameof(dy));
        Guard.SameLength(dy, dz, nameof(dy), nameof(dz));
        switch (activation)
        {
            case Activation.Identity:
                dy.CopyTo(dz);
                break;
            case Activation.Sigmoid: BinaryLoop.Apply<SigmoidGrad>(y, dy, dz); break;
            case Activation.Relu: BinaryLoop.Apply<ReluGrad>(y, dy, dz); break;
            case Activation.Tanh: BinaryLoop.Apply<TanhGrad>(y, dy, dz); break;
            default:
                throw new ArgumentException($"{activation} has no usable gradient here (step is flat; softmax is fused with the loss).", nameof(activation));
        }
    }

    private readonly struct SigmoidGrad : IBinaryOp
    {
        public static float Invoke(float y, float dy) => dy * (y * (1f - y));
        public static Vector128<float> Invoke(Vector128<float> y, Vector128<float> dy) => dy * (y * (Vector128<float>.One - y));
        public static Vector256<float> Invoke(Vector256<float> y, Vector256<float> dy) => dy * (y * (Vector256<float>.One - y));
        public static Vector512<float> Invoke(Vector512<float> y, Vector512<float> dy) => dy * (y * (Vector512<float>.One - y));
    }

    private readonly struct ReluGrad : IBinaryOp
    {
        public static float Invoke(float y, float dy) => y > 0f ? dy : 0f;
        public static Vector128<float> Invoke(Vector128<float> y, Vector128<float> dy) => Vector128.GreaterThan(y, Vector128<float>.Zero) & dy;
        public static Vector256<float> Invoke(Vector256<float> y, Vector256<float> dy) => Vector256.GreaterThan(y, Vector256<float>.Zero) & dy;
        public static Vector512<float> Invoke(Vector512<float> y, Vector512<float> dy) => Vector512.GreaterThan(y, Vector512<float>.Zero) & dy;
    }

    private readonly struct TanhGrad : IBinaryOp
    {
        public static float Invoke(float y, float dy) => dy * (1f - y * y);
        public static Vector128<float> Invoke(Vector128<float> y, Vector128<float> dy) => dy * (Vector128<float>.One - y * y);
        public static Vector256<float> Invoke(Vector256<float> y, Vector256<float> dy) => dy * (Vector256<float>.One - y * y);
        public static Vector512<float> Invoke(Vector512<float> y, Vector512<float> dy) => dy * (Vector512<float>.One - y * y);
    }
}
