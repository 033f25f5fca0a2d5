using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using NnSimd.Internal;

namespace NnSimd.Kernels;

/// <summary>
/// q = clamp(round(x · inverseScale), 0, 255) as bytes: activations (or input rows) quantized to u8 with one static
/// scale, x ≈ q / inverseScale, for the int8 GEMM's left operand. The product is one float32 rounding and the rest
/// is exact, so every width gives the same bytes. Ties round to even.
/// </summary>
internal static class ByteQuantization
{
    /// <summary>
    /// Quantizes <paramref name="x"/> into <paramref name="q"/>; returns false when an element of x is NaN or
    /// infinite (its byte is then meaningless), so the caller can refuse the input with a message of its own.
    /// </summary>
    public static bool Quantize(ReadOnlySpan<float> x, float inverseScale, Span<byte> q)
    {
        if (x.Length != q.Length)
        {
            Guard.ThrowArgument($"x has {x.Length} elements but q has {q.Length}; they must be equal.", nameof(q));
        }

        var call = new Call(x, inverseScale, q);
        VectorDispatch.Run(ref call);
        return call.Finite;
    }

    private ref struct Call(ReadOnlySpan<float> x, float inverseScale, Span<byte> q) : IVectorKernel
    {
        private readonly ReadOnlySpan<float> _x = x;
        private readonly Span<byte> _q = q;

        public bool Finite;

        public void Run<TSimd, TVec>()
            where TSimd : struct, ISimd<TVec>
            where TVec : struct => Finite = Quantize<TSimd, TVec>(_x, inverseScale, _q);
    }

    // x: [n] -> q: [n]; four vectors per step, then one, the rest one by one. x - x is 0 for a finite x and NaN otherwise, so
    // one running sum of it tells whether every element was finite, at one subtraction and one addition per vector.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static bool Quantize<TSimd, TVec>(ReadOnlySpan<float> x, float inverseScale, Span<byte> q)
        where TSimd : struct, ISimd<TVec>
        where TVec : struct
    {
        ref float xs = ref MemoryMarshal.GetReference(x);
        ref byte qs = ref MemoryMarshal.GetReference(q);
        TVec s = TSimd.Broadcast(inverseScale);
        TVec check = TSimd.Zero;
        int w = TSimd.Count;
        int i = 0;
        for (; i <= x.Length - (4 * w); i += 4 * w)
        {
            TVec a = TSimd.Load(ref Unsafe.Add(ref xs, i));
            TVec b = TSimd.Load(ref Unsafe.Add(ref xs, i + w));
            TVec c = TSimd.Load(ref Unsafe.Add(ref xs, i + (2 * w)));
            TVec d = TSimd.Load(ref Unsafe.Add(ref xs, i + (3 * w)));
            check = TSimd.Add(check, TSimd.Add(TSimd.Add(TSimd.Subtract(a, a), TSimd.Subtract(b, b)), TSimd.Add(TSimd.Subtract(c, c), TSimd.Subtract(d, d))));
            TSimd.NarrowToBytes(TSimd.Multiply(a, s), TSimd.Multiply(b, s), TSimd.Multiply(c, s), TSimd.Multiply(d, s), ref Unsafe.Add(ref qs, i));
        }

        // Whole vectors left, one at a time: a batch of one's 50 or 100 activations are mostly these.
        for (; i <= x.Length - w; i += w)
        {
            TVec a = TSimd.Load(ref Unsafe.Add(ref xs, i));
            check = TSimd.Add(check, TSimd.Subtract(a, a));
            TSimd.NarrowVectorToBytes(TSimd.Multiply(a, s), ref Unsafe.Add(ref qs, i));
        }

        bool finite = TSimd.Sum(check) == 0;
        for (; i < x.Length; i++)
        {
            float v = Unsafe.Add(ref xs, i);
            finite &= float.IsFinite(v);
            Unsafe.Add(ref qs, i) = (byte)MathF.Round(Math.Clamp(v * inverseScale, 0f, 255f));
        }

        return finite;
    }
}
