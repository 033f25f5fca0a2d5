using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using NnSimd.Internal;

namespace NnSimd.Kernels;

/// <summary>
/// exp(x) in float32, the same algorithm at every width:
/// n = round(x / ln 2), r = x - n ln 2 (Cody-Waite: ln 2 split in two so n ln2_hi is exact), |r| &lt;= 0.347;
/// e^r by its Taylor polynomial to r^7 (truncation r^8 / 8! &lt; 5.3e-9 relative, below float's 6e-8);
/// then times 2^n (<see cref="ISimd{TVec}.ScaleByPowerOfTwo"/>), so results down to the subnormals and up to
/// overflow come out right. One body for every width; what differs (the multiply-add, fused where the hardware
/// fuses, and the scaling) is the width's. Within 2 ulp of float64 (the tests check it); exp(0) = 1 exactly;
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

    public static float Invoke(float x) => Exp<Scalar1, float>(x);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> Invoke(Vector128<float> x) => Exp<Simd128, Vector128<float>>(x);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Invoke(Vector256<float> x) => Exp<Simd256, Vector256<float>>(x);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Invoke(Vector512<float> x) => Exp<Simd512, Vector512<float>>(x);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static TVec Exp<TSimd, TVec>(TVec x)
        where TSimd : struct, ISimd<TVec>
        where TVec : struct
    {
        x = TSimd.Min(TSimd.Max(x, TSimd.Broadcast(Lowest)), TSimd.Broadcast(Highest)); // both propagate NaN
        TVec magic = TSimd.Broadcast(RoundMagic);
        TVec t = TSimd.MulAdd(x, TSimd.Broadcast(Log2E), magic);
        TVec n = TSimd.Subtract(t, magic);
        TVec r = TSimd.MulAdd(n, TSimd.Broadcast(-Ln2Hi), x);
        r = TSimd.MulAdd(n, TSimd.Broadcast(-Ln2Lo), r);
        TVec p = TSimd.Broadcast(C7);
        p = TSimd.MulAdd(p, r, TSimd.Broadcast(C6));
        p = TSimd.MulAdd(p, r, TSimd.Broadcast(C5));
        p = TSimd.MulAdd(p, r, TSimd.Broadcast(C4));
        p = TSimd.MulAdd(p, r, TSimd.Broadcast(C3));
        p = TSimd.MulAdd(p, r, TSimd.Broadcast(C2));
        p = TSimd.MulAdd(p, r, TSimd.Broadcast(1f));
        p = TSimd.MulAdd(p, r, TSimd.Broadcast(1f));
        return TSimd.ScaleByPowerOfTwo(p, n);
    }
}
