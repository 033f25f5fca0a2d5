using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics.Arm;
using System.Runtime.Intrinsics.X86;
using NnSimd.Internal;

namespace NnSimd.Kernels;

/// <summary>
/// y = x / divisor for bytes x, in float32: the conversion of raw pixels into a network's input, bitwise NumPy's
/// <c>x.astype(float32) / 255.0</c>. A vector division is slow (one per 5 cycles on Zen 4: a third of a batch's
/// conversion time), so where the hardware fuses multiply-add the quotient is q = x r (r = 1 / divisor) corrected
/// once with its exact remainder, q + fma(-q, divisor, x) r. That is correctly rounded for nearly every divisor,
/// and with only 256 possible inputs it is checked exhaustively against true division the first time a divisor
/// is seen: any mismatch, and that divisor keeps dividing.
/// </summary>
public static class ByteScaling
{
    /// <summary>The last divisor whose every quotient the reciprocal form reproduced (NaN: none yet).</summary>
    private static float s_checkedDivisor = float.NaN;

    /// <summary>The last divisor the check turned down, so it is not checked again on every call.</summary>
    private static float s_rejectedDivisor = float.NaN;

    /// <summary>y[i] = x[i] / divisor.</summary>
    public static void Divide(ReadOnlySpan<byte> x, float divisor, Span<float> y)
    {
        if (x.Length != y.Length)
        {
            Guard.ThrowArgument($"x has {x.Length} elements but y has {y.Length}; they must be equal.", nameof(y));
        }

        Convert(x, divisor, y, ReciprocalIsExact(divisor));
    }

    private static void Convert(ReadOnlySpan<byte> x, float divisor, Span<float> y, bool reciprocal)
    {
        var call = new Call(x, divisor, y, reciprocal);
        VectorDispatch.Run(ref call);
    }

    private readonly ref struct Call(ReadOnlySpan<byte> x, float divisor, Span<float> y, bool reciprocal) : IVectorKernel
    {
        private readonly ReadOnlySpan<byte> _x = x;
        private readonly Span<float> _y = y;

        public void Run<TSimd, TVec>()
            where TSimd : struct, ISimd<TVec>
            where TVec : struct => Divide<TSimd, TVec>(_x, divisor, _y, reciprocal);
    }

    /// <summary>Whether the reciprocal form gives x / divisor bitwise for all 256 bytes (checked once per new divisor).</summary>
    internal static bool ReciprocalIsExact(float divisor)
    {
        // Without a hardware FMA the correction step would be emulated, slower than dividing.
        if (!(Fma.IsSupported || AdvSimd.IsSupported) || Simd.Path == SimdPath.Scalar)
        {
            return false;
        }

        if (divisor == Volatile.Read(ref s_checkedDivisor))
        {
            return true;
        }

        if (divisor == Volatile.Read(ref s_rejectedDivisor) || float.IsNaN(divisor))
        {
            return false;
        }

        Span<byte> all = stackalloc byte[256];
        Span<float> fast = stackalloc float[256];
        for (int i = 0; i < 256; i++)
        {
            all[i] = (byte)i;
        }

        Convert(all, divisor, fast, reciprocal: true);
        for (int i = 0; i < 256; i++)
        {
            if (BitConverter.SingleToInt32Bits(fast[i]) != BitConverter.SingleToInt32Bits(i / divisor))
            {
                Volatile.Write(ref s_rejectedDivisor, divisor);
                return false;
            }
        }

        Volatile.Write(ref s_checkedDivisor, divisor);
        return true;
    }

    // x: [n] bytes, y: [n]; four vectors of bytes widened per step, then one, the rest divided one by one.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Divide<TSimd, TVec>(ReadOnlySpan<byte> x, float divisor, Span<float> y, bool reciprocal)
        where TSimd : struct, ISimd<TVec>
        where TVec : struct
    {
        ref byte xs = ref MemoryMarshal.GetReference(x);
        ref float ys = ref MemoryMarshal.GetReference(y);
        TVec d = TSimd.Broadcast(divisor);
        TVec r = TSimd.Broadcast(1f / divisor);
        int w = TSimd.Count;
        int i = 0;
        for (; i <= x.Length - (4 * w); i += 4 * w)
        {
            (TVec a, TVec b, TVec c, TVec e) = TSimd.WidenBytes(ref Unsafe.Add(ref xs, i));
            TSimd.Store(Quotient<TSimd, TVec>(a, d, r, reciprocal), ref Unsafe.Add(ref ys, i));
            TSimd.Store(Quotient<TSimd, TVec>(b, d, r, reciprocal), ref Unsafe.Add(ref ys, i + w));
            TSimd.Store(Quotient<TSimd, TVec>(c, d, r, reciprocal), ref Unsafe.Add(ref ys, i + (2 * w)));
            TSimd.Store(Quotient<TSimd, TVec>(e, d, r, reciprocal), ref Unsafe.Add(ref ys, i + (3 * w)));
        }

        // Whole vectors left (a 784-byte image leaves one), read as bytes that fit in one vector's lanes.
        for (; i <= x.Length - w; i += w)
        {
            TSimd.Store(Quotient<TSimd, TVec>(TSimd.WidenBytesToVector(ref Unsafe.Add(ref xs, i)), d, r, reciprocal), ref Unsafe.Add(ref ys, i));
        }

        for (; i < x.Length; i++)
        {
            Unsafe.Add(ref ys, i) = Unsafe.Add(ref xs, i) / divisor;
        }
    }

    /// <summary>x / d, or with <paramref name="reciprocal"/> q = x r corrected by its exact remainder: q + fma(-q, d, x) r.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static TVec Quotient<TSimd, TVec>(TVec x, TVec d, TVec r, bool reciprocal)
        where TSimd : struct, ISimd<TVec>
        where TVec : struct
    {
        if (!reciprocal)
        {
            return TSimd.Divide(x, d);
        }

        TVec q = TSimd.Multiply(x, r);
        return TSimd.MulAdd(TSimd.MulAdd(TSimd.Subtract(TSimd.Zero, q), d, x), r, q);
    }
}
