using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using NnSimd.Internal;

namespace NnSimd.Kernels;

/// <summary>
/// y = x / divisor for bytes x, in float32: the conversion of raw pixels into a network's input. Division (not
/// multiplication by 1 / divisor) so the result is bitwise NumPy's <c>x.astype(float32) / 255.0</c>.
/// </summary>
public static class ByteScaling
{
    /// <summary>y[i] = x[i] / divisor.</summary>
    public static void Divide(ReadOnlySpan<byte> x, float divisor, Span<float> y)
    {
        if (x.Length != y.Length)
        {
            Guard.ThrowArgument($"x has {x.Length} elements but y has {y.Length}; they must be equal.", nameof(y));
        }

        switch (Simd.Path)
        {
            case SimdPath.Vector512: Divide512(x, divisor, y); break;
            case SimdPath.Vector256: Divide256(x, divisor, y); break;
            case SimdPath.Vector128: Divide128(x, divisor, y); break;
            default: Tail(x, divisor, y, 0); break;
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Divide512(ReadOnlySpan<byte> x, float divisor, Span<float> y)
    {
        ref byte xs = ref MemoryMarshal.GetReference(x);
        ref float ys = ref MemoryMarshal.GetReference(y);
        Vector512<float> d = Vector512.Create(divisor);
        int i = 0;
        for (; i <= x.Length - 64; i += 64)
        {
            (Vector512<ushort> lo, Vector512<ushort> hi) = Vector512.Widen(Vector512.LoadUnsafe(ref xs, (nuint)i));
            (Vector512<uint> a, Vector512<uint> b) = Vector512.Widen(lo);
            (Vector512<uint> c, Vector512<uint> e) = Vector512.Widen(hi);
            (Vector512.ConvertToSingle(a) / d).StoreUnsafe(ref ys, (nuint)i);
            (Vector512.ConvertToSingle(b) / d).StoreUnsafe(ref ys, (nuint)(i + 16));
            (Vector512.ConvertToSingle(c) / d).StoreUnsafe(ref ys, (nuint)(i + 32));
            (Vector512.ConvertToSingle(e) / d).StoreUnsafe(ref ys, (nuint)(i + 48));
        }

        Tail(x, divisor, y, i);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Divide256(ReadOnlySpan<byte> x, float divisor, Span<float> y)
    {
        ref byte xs = ref MemoryMarshal.GetReference(x);
        ref float ys = ref MemoryMarshal.GetReference(y);
        Vector256<float> d = Vector256.Create(divisor);
        int i = 0;
        for (; i <= x.Length - 32; i += 32)
        {
            (Vector256<ushort> lo, Vector256<ushort> hi) = Vector256.Widen(Vector256.LoadUnsafe(ref xs, (nuint)i));
            (Vector256<uint> a, Vector256<uint> b) = Vector256.Widen(lo);
            (Vector256<uint> c, Vector256<uint> e) = Vector256.Widen(hi);
            (Vector256.ConvertToSingle(a) / d).StoreUnsafe(ref ys, (nuint)i);
            (Vector256.ConvertToSingle(b) / d).StoreUnsafe(ref ys, (nuint)(i + 8));
            (Vector256.ConvertToSingle(c) / d).StoreUnsafe(ref ys, (nuint)(i + 16));
            (Vector256.ConvertToSingle(e) / d).StoreUnsafe(ref ys, (nuint)(i + 24));
        }

        Tail(x, divisor, y, i);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Divide128(ReadOnlySpan<byte> x, float divisor, Span<float> y)
    {
        ref byte xs = ref MemoryMarshal.GetReference(x);
        ref float ys = ref MemoryMarshal.GetReference(y);
        Vector128<float> d = Vector128.Create(divisor);
        int i = 0;
        for (; i <= x.Length - 16; i += 16)
        {
            (Vector128<ushort> lo, Vector128<ushort> hi) = Vector128.Widen(Vector128.LoadUnsafe(ref xs, (nuint)i));
            (Vector128<uint> a, Vector128<uint> b) = Vector128.Widen(lo);
            (Vector128<uint> c, Vector128<uint> e) = Vector128.Widen(hi);
            (Vector128.ConvertToSingle(a) / d).StoreUnsafe(ref ys, (nuint)i);
            (Vector128.ConvertToSingle(b) / d).StoreUnsafe(ref ys, (nuint)(i + 4));
            (Vector128.ConvertToSingle(c) / d).StoreUnsafe(ref ys, (nuint)(i + 8));
            (Vector128.ConvertToSingle(e) / d).StoreUnsafe(ref ys, (nuint)(i + 12));
        }

        Tail(x, divisor, y, i);
    }

    private static void Tail(ReadOnlySpan<byte> x, float divisor, Span<float> y, int from)
    {
        for (int i = from; i < x.Length; i++)
        {
            y[i] = x[i] / divisor;
        }
    }
}
