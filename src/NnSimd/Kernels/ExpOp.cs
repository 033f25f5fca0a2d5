using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using NnSimd.Internal;

namespace NnSimd.Kernels;

/// <summary>
/// exp(x) in float32, the same algorithm at every width:
/// n = round(x / ln 2), r = x - n ln 2 (Cody-Waite: ln 2 split in two so n ln2_hi is exact), |r| &lt;= 0.347;
/// e^r by its Taylor polynomial to r^7 (truncation r^8 / 8! &lt; 5.3e-9 relative, below float's 6e-8);
/// then times 2^n, applied as 2^(n/2) 2^(n - n/2) so results down to the subnormals and up to overflow come
/// out right. Measured against float64: at most 2 ulp (the tests check it); exp(0) = 1 exactly;
/// exp(-Inf) = 0, exp(+Inf) = +Inf, NaN stays NaN.
/// </summary>
internal readonly struct ExpOp : IUnaryOp
{
    private const float Log2E = 1.44269504088896341f;
    private const float Ln2Hi = 0.693145751953125f;
    private const float Ln2Lo = 1.428606765330187e-6f;
    private const float Lowest = -104f; // exp(-104) < 2^-150: rounds to 0
    private const float Highest = 89f;  // exp(89) > float.MaxValue: overflows to +Inf
    private const float RoundMagic = 12582912f; // 1.5 * 2^23: adding it rounds to an integer held in the low mantissa bits
    private const float C2 = 1f / 2, C3 = 1f / 6, C4 = 1f / 24, C5 = 1f / 120, C6 = 1f / 720, C7 = 1f / 5040;

    public static float Invoke(float x)
    {
        x = MathF.Min(MathF.Max(x, Lowest), Highest); // both propagate NaN
        float t = x * Log2E + RoundMagic;
        float n = t - RoundMagic;
        int ni = BitConverter.SingleToInt32Bits(t) - BitConverter.SingleToInt32Bits(RoundMagic);
        float r = x - n * Ln2Hi - n * Ln2Lo;
        float p = C7;
        p = p * r + C6;
        p = p * r + C5;
        p = p * r + C4;
        p = p * r + C3;
        p = p * r + C2;
        p = p * r + 1f;
        p = p * r + 1f;
        int half = ni >> 1;
        return p * BitConverter.Int32BitsToSingle((half + 127) << 23) * BitConverter.Int32BitsToSingle((ni - half + 127) << 23);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> Invoke(Vector128<float> x)
    {
        x = Vector128.Min(Vector128.Max(x, Vector128.Create(Lowest)), Vector128.Create(Highest));
        Vector128<float> magic = Vector128.Create(RoundMagic);
        Vector128<float> t = Simd128.MulAdd(x, Vector128.Create(Log2E), magic);
        Vector128<float> n = t - magic;
        Vector128<int> ni = t.AsInt32() - magic.AsInt32();
        Vector128<float> r = Simd128.MulAdd(n, Vector128.Create(-Ln2Hi), x);
        r = Simd128.MulAdd(n, Vector128.Create(-Ln2Lo), r);
        Vector128<float> p = Vector128.Create(C7);
        p = Simd128.MulAdd(p, r, Vector128.Create(C6));
        p = Simd128.MulAdd(p, r, Vector128.Create(C5));
        p = Simd128.MulAdd(p, r, Vector128.Create(C4));
        p = Simd128.MulAdd(p, r, Vector128.Create(C3));
        p = Simd128.MulAdd(p, r, Vector128.Create(C2));
        p = Simd128.MulAdd(p, r, Vector128<float>.One);
        p = Simd128.MulAdd(p, r, Vector128<float>.One);
        Vector128<int> half = Vector128.ShiftRightArithmetic(ni, 1);
        Vector128<int> bias = Vector128.Create(127);
        return p * Vector128.ShiftLeft(half + bias, 23).AsSingle() * Vector128.ShiftLeft(ni - half + bias, 23).AsSingle();
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Invoke(Vector256<float> x)
    {
        x = Vector256.Min(Vector256.Max(x, Vector256.Create(Lowest)), Vector256.Create(Highest));
        Vector256<float> magic = Vector256.Create(RoundMagic);
        Vector256<float> t = Simd256.MulAdd(x, Vector256.Create(Log2E), magic);
        Vector256<float> n = t - magic;
        Vector256<int> ni = t.AsInt32() - magic.AsInt32();
        Vector256<float> r = Simd256.MulAdd(n, Vector256.Create(-Ln2Hi), x);
        r = Simd256.MulAdd(n, Vector256.Create(-Ln2Lo), r);
        Vector256<float> p = Vector256.Create(C7);
        p = Simd256.MulAdd(p, r, Vector256.Create(C6));
        p = Simd256.MulAdd(p, r, Vector256.Create(C5));
        p = Simd256.MulAdd(p, r, Vector256.Create(C4));
        p = Simd256.MulAdd(p, r, Vector256.Create(C3));
        p = Simd256.MulAdd(p, r, Vector256.Create(C2));
        p = Simd256.MulAdd(p, r, Vector256<float>.One);
        p = Simd256.MulAdd(p, r, Vector256<float>.One);
        Vector256<int> half = Vector256.ShiftRightArithmetic(ni, 1);
        Vector256<int> bias = Vector256.Create(127);
        return p * Vector256.ShiftLeft(half + bias, 23).AsSingle() * Vector256.ShiftLeft(ni - half + bias, 23).AsSingle();
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Invoke(Vector512<float> x)
    {
        x = Vector512.Min(Vector512.Max(x, Vector512.Create(Lowest)), Vector512.Create(Highest));
        Vector512<float> magic = Vector512.Create(RoundMagic);
        Vector512<float> t = Vector512.FusedMultiplyAdd(x, Vector512.Create(Log2E), magic);
        Vector512<float> n = t - magic;
        Vector512<int> ni = t.AsInt32() - magic.AsInt32();
        Vector512<float> r = Vector512.FusedMultiplyAdd(n, Vector512.Create(-Ln2Hi), x);
        r = Vector512.FusedMultiplyAdd(n, Vector512.Create(-Ln2Lo), r);
        Vector512<float> p = Vector512.Create(C7);
        p = Vector512.FusedMultiplyAdd(p, r, Vector512.Create(C6));
        p = Vector512.FusedMultiplyAdd(p, r, Vector512.Create(C5));
        p = Vector512.FusedMultiplyAdd(p, r, Vector512.Create(C4));
        p = Vector512.FusedMultiplyAdd(p, r, Vector512.Create(C3));
        p = Vector512.FusedMultiplyAdd(p, r, Vector512.Create(C2));
        p = Vector512.FusedMultiplyAdd(p, r, Vector512<float>.One);
        p = Vector512.FusedMultiplyAdd(p, r, Vector512<float>.One);
        if (Avx512F.IsSupported)
        {
            // VSCALEFPS: p 2^n rounded once, subnormals and overflow included, the same bits as the two-step
            // scaling below in one instruction instead of eight.
            return Avx512F.Scale(p, n);
        }

        Vector512<int> half = Vector512.ShiftRightArithmetic(ni, 1);
        Vector512<int> bias = Vector512.Create(127);
        return p * Vector512.ShiftLeft(half + bias, 23).AsSingle() * Vector512.ShiftLeft(ni - half + bias, 23).AsSingle();
    }
}
