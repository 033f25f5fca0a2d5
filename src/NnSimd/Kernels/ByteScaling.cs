using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
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
        switch (Simd.Path)
        {
            case SimdPath.Vector512: Divide512(x, divisor, y, reciprocal); break;
            case SimdPath.Vector256: Divide256(x, divisor, y, reciprocal); break;
            case SimdPath.Vector128: Divide128(x, divisor, y, reciprocal); break;
            default: Tail(x, divisor, y, 0); break;
        }
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

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Divide512(ReadOnlySpan<byte> x, float divisor, Span<float> y, bool reciprocal)
    {
        ref byte xs = ref MemoryMarshal.GetReference(x);
        ref float ys = ref MemoryMarshal.GetReference(y);
        Vector512<float> d = Vector512.Create(divisor);
        Vector512<float> r = Vector512.Create(1f / divisor);
        int i = 0;
        for (; i <= x.Length - 64; i += 64)
        {
            (Vector512<ushort> lo, Vector512<ushort> hi) = Vector512.Widen(Vector512.LoadUnsafe(ref xs, (nuint)i));
            (Vector512<uint> a, Vector512<uint> b) = Vector512.Widen(lo);
            (Vector512<uint> c, Vector512<uint> e) = Vector512.Widen(hi);
            Quotient<Simd512, Vector512<float>>(Vector512.ConvertToSingle(a), d, r, reciprocal).StoreUnsafe(ref ys, (nuint)i);
            Quotient<Simd512, Vector512<float>>(Vector512.ConvertToSingle(b), d, r, reciprocal).StoreUnsafe(ref ys, (nuint)(i + 16));
            Quotient<Simd512, Vector512<float>>(Vector512.ConvertToSingle(c), d, r, reciprocal).StoreUnsafe(ref ys, (nuint)(i + 32));
            Quotient<Simd512, Vector512<float>>(Vector512.ConvertToSingle(e), d, r, reciprocal).StoreUnsafe(ref ys, (nuint)(i + 48));
        }

        Tail(x, divisor, y, i);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Divide256(ReadOnlySpan<byte> x, float divisor, Span<float> y, bool reciprocal)
    {
        ref byte xs = ref MemoryMarshal.GetReference(x);
        ref float ys = ref MemoryMarshal.GetReference(y);
        Vector256<float> d = Vector256.Create(divisor);
        Vector256<float> r = Vector256.Create(1f / divisor);
        int i = 0;
        for (; i <= x.Length - 32; i += 32)
        {
            (Vector256<ushort> lo, Vector256<ushort> hi) = Vector256.Widen(Vector256.LoadUnsafe(ref xs, (nuint)i));
            (Vector256<uint> a, Vector256<uint> b) = Vector256.Widen(lo);
            (Vector256<uint> c, Vector256<uint> e) = Vector256.Widen(hi);
            Quotient<Simd256, Vector256<float>>(Vector256.ConvertToSingle(a), d, r, reciprocal).StoreUnsafe(ref ys, (nuint)i);
            Quotient<Simd256, Vector256<float>>(Vector256.ConvertToSingle(b), d, r, reciprocal).StoreUnsafe(ref ys, (nuint)(i + 8));
            Quotient<Simd256, Vector256<float>>(Vector256.ConvertToSingle(c), d, r, reciprocal).StoreUnsafe(ref ys, (nuint)(i + 16));
            Quotient<Simd256, Vector256<float>>(Vector256.ConvertToSingle(e), d, r, reciprocal).StoreUnsafe(ref ys, (nuint)(i + 24));
        }

        Tail(x, divisor, y, i);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Divide128(ReadOnlySpan<byte> x, float divisor, Span<float> y, bool reciprocal)
    {
        ref byte xs = ref MemoryMarshal.GetReference(x);
        ref float ys = ref MemoryMarshal.GetReference(y);
        Vector128<float> d = Vector128.Create(divisor);
        Vector128<float> r = Vector128.Create(1f / divisor);
        int i = 0;
        for (; i <= x.Length - 16; i += 16)
        {
            (Vector128<ushort> lo, Vector128<ushort> hi) = Vector128.Widen(Vector128.LoadUnsafe(ref xs, (nuint)i));
            (Vector128<uint> a, Vector128<uint> b) = Vector128.Widen(lo);
            (Vector128<uint> c, Vector128<uint> e) = Vector128.Widen(hi);
            Quotient<Simd128, Vector128<float>>(Vector128.ConvertToSingle(a), d, r, reciprocal).StoreUnsafe(ref ys, (nuint)i);
            Quotient<Simd128, Vector128<float>>(Vector128.ConvertToSingle(b), d, r, reciprocal).StoreUnsafe(ref ys, (nuint)(i + 4));
            Quotient<Simd128, Vector128<float>>(Vector128.ConvertToSingle(c), d, r, reciprocal).StoreUnsafe(ref ys, (nuint)(i + 8));
            Quotient<Simd128, Vector128<float>>(Vector128.ConvertToSingle(e), d, r, reciprocal).StoreUnsafe(ref ys, (nuint)(i + 12));
        }

        Tail(x, divisor, y, i);
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

    private static void Tail(ReadOnlySpan<byte> x, float divisor, Span<float> y, int from)
    {
        for (int i = from; i < x.Length; i++)
        {
            y[i] = x[i] / divisor;
        }
    }
}
