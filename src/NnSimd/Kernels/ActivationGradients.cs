using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
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
            case Activation.Sigmoid: Run<SigmoidGrad>(y, dy, dz); break;
            case Activation.Relu: Run<ReluGrad>(y, dy, dz); break;
            case Activation.Tanh: Run<TanhGrad>(y, dy, dz); break;
            default:
                throw new ArgumentException($"{activation} has no usable gradient here (step is flat; softmax is fused with the loss).", nameof(activation));
        }
    }

    private interface IGrad
    {
        static abstract float Invoke(float y, float dy);
        static abstract Vector128<float> Invoke(Vector128<float> y, Vector128<float> dy);
        static abstract Vector256<float> Invoke(Vector256<float> y, Vector256<float> dy);
        static abstract Vector512<float> Invoke(Vector512<float> y, Vector512<float> dy);
    }

    private readonly struct SigmoidGrad : IGrad
    {
        public static float Invoke(float y, float dy) => dy * (y * (1f - y));
        public static Vector128<float> Invoke(Vector128<float> y, Vector128<float> dy) => dy * (y * (Vector128<float>.One - y));
        public static Vector256<float> Invoke(Vector256<float> y, Vector256<float> dy) => dy * (y * (Vector256<float>.One - y));
        public static Vector512<float> Invoke(Vector512<float> y, Vector512<float> dy) => dy * (y * (Vector512<float>.One - y));
    }

    private readonly struct ReluGrad : IGrad
    {
        public static float Invoke(float y, float dy) => y > 0f ? dy : 0f;
        public static Vector128<float> Invoke(Vector128<float> y, Vector128<float> dy) => Vector128.GreaterThan(y, Vector128<float>.Zero) & dy;
        public static Vector256<float> Invoke(Vector256<float> y, Vector256<float> dy) => Vector256.GreaterThan(y, Vector256<float>.Zero) & dy;
        public static Vector512<float> Invoke(Vector512<float> y, Vector512<float> dy) => Vector512.GreaterThan(y, Vector512<float>.Zero) & dy;
    }

    private readonly struct TanhGrad : IGrad
    {
        public static float Invoke(float y, float dy) => dy * (1f - y * y);
        public static Vector128<float> Invoke(Vector128<float> y, Vector128<float> dy) => dy * (Vector128<float>.One - y * y);
        public static Vector256<float> Invoke(Vector256<float> y, Vector256<float> dy) => dy * (Vector256<float>.One - y * y);
        public static Vector512<float> Invoke(Vector512<float> y, Vector512<float> dy) => dy * (Vector512<float>.One - y * y);
    }

    private static void Run<TGrad>(ReadOnlySpan<float> y, ReadOnlySpan<float> dy, Span<float> dz)
        where TGrad : IGrad
    {
        switch (Simd.Path)
        {
            case SimdPath.Vector512: Run512<TGrad>(y, dy, dz); break;
            case SimdPath.Vector256: Run256<TGrad>(y, dy, dz); break;
            case SimdPath.Vector128: Run128<TGrad>(y, dy, dz); break;
            default: Tail<TGrad>(y, dy, dz, 0); break;
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Run512<TGrad>(ReadOnlySpan<float> y, ReadOnlySpan<float> dy, Span<float> dz)
        where TGrad : IGrad
    {
        ref float ys = ref MemoryMarshal.GetReference(y);
        ref float gs = ref MemoryMarshal.GetReference(dy);
        ref float zs = ref MemoryMarshal.GetReference(dz);
        int i = 0;
        for (; i <= y.Length - 16; i += 16)
        {
            TGrad.Invoke(Vector512.LoadUnsafe(ref ys, (nuint)i), Vector512.LoadUnsafe(ref gs, (nuint)i)).StoreUnsafe(ref zs, (nuint)i);
        }

        Tail<TGrad>(y, dy, dz, i);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Run256<TGrad>(ReadOnlySpan<float> y, ReadOnlySpan<float> dy, Span<float> dz)
        where TGrad : IGrad
    {
        ref float ys = ref MemoryMarshal.GetReference(y);
        ref float gs = ref MemoryMarshal.GetReference(dy);
        ref float zs = ref MemoryMarshal.GetReference(dz);
        int i = 0;
        for (; i <= y.Length - 8; i += 8)
        {
            TGrad.Invoke(Vector256.LoadUnsafe(ref ys, (nuint)i), Vector256.LoadUnsafe(ref gs, (nuint)i)).StoreUnsafe(ref zs, (nuint)i);
        }

        Tail<TGrad>(y, dy, dz, i);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Run128<TGrad>(ReadOnlySpan<float> y, ReadOnlySpan<float> dy, Span<float> dz)
        where TGrad : IGrad
    {
        ref float ys = ref MemoryMarshal.GetReference(y);
        ref float gs = ref MemoryMarshal.GetReference(dy);
        ref float zs = ref MemoryMarshal.GetReference(dz);
        int i = 0;
        for (; i <= y.Length - 4; i += 4)
        {
            TGrad.Invoke(Vector128.LoadUnsafe(ref ys, (nuint)i), Vector128.LoadUnsafe(ref gs, (nuint)i)).StoreUnsafe(ref zs, (nuint)i);
        }

        Tail<TGrad>(y, dy, dz, i);
    }

    private static void Tail<TGrad>(ReadOnlySpan<float> y, ReadOnlySpan<float> dy, Span<float> dz, int from)
        where TGrad : IGrad
    {
        for (int i = from; i < y.Length; i++)
        {
            dz[i] = TGrad.Invoke(y[i], dy[i]);
        }
    }
}
