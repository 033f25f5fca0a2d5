using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using NnSimd.Internal;

namespace NnSimd.Kernels;

// The activation operators. Each lane of a vector is computed exactly as the scalar lanes of the same path,
// so an element's result never depends on where it sits in a span or a batch.

internal readonly struct IdentityOp : IUnaryOp
{
    public static bool IsIdentity => true;
    public static float Invoke(float x) => x;
    public static Vector128<float> Invoke(Vector128<float> x) => x;
    public static Vector256<float> Invoke(Vector256<float> x) => x;
    public static Vector512<float> Invoke(Vector512<float> x) => x;
}

/// <summary>1 where x &gt; 0, else 0; NaN stays NaN (a NaN is a bug upstream, never a silent 0).</summary>
internal readonly struct StepOp : IUnaryOp
{
    public static float Invoke(float x) => float.IsNaN(x) ? x : x > 0f ? 1f : 0f;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> Invoke(Vector128<float> x) =>
        Vector128.ConditionalSelect(Vector128.Equals(x, x), Vector128.GreaterThan(x, Vector128<float>.Zero) & Vector128<float>.One, x);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Invoke(Vector256<float> x) =>
        Vector256.ConditionalSelect(Vector256.Equals(x, x), Vector256.GreaterThan(x, Vector256<float>.Zero) & Vector256<float>.One, x);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Invoke(Vector512<float> x) =>
        Vector512.ConditionalSelect(Vector512.Equals(x, x), Vector512.GreaterThan(x, Vector512<float>.Zero) & Vector512<float>.One, x);
}

/// <summary>max(x, 0); NaN stays NaN (x &lt;= 0 is false for NaN, so x passes through).</summary>
internal readonly struct ReluOp : IUnaryOp
{
    public static float Invoke(float x) => x <= 0f ? 0f : x;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> Invoke(Vector128<float> x) =>
        Vector128.AndNot(x, Vector128.LessThanOrEqual(x, Vector128<float>.Zero));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Invoke(Vector256<float> x) =>
        Vector256.AndNot(x, Vector256.LessThanOrEqual(x, Vector256<float>.Zero));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Invoke(Vector512<float> x) =>
        Vector512.AndNot(x, Vector512.LessThanOrEqual(x, Vector512<float>.Zero));
}

/// <summary>
/// 1 / (1 + exp(-x)). exp(1000) = +Inf gives exactly 0 and exp(-1000) = 0 gives exactly 1, so the tails need
/// no clamping and NaN propagates. <see cref="ExpOp"/> is within 2 ulp, and the add and the divide round once
/// each: within 4 ulp of the float64 reference (the tests check it).
/// </summary>
internal readonly struct SigmoidOp : IUnaryOp
{
    /// <summary>
    /// exp(-x) is taken no lower than exp(-80): from x = 80 up, 1 + exp(-x) is 1 in float32 either way, and below
    /// exp(-87.3) the exponential is subnormal, which Intel cores produce in a microcode assist (a thousand
    /// sigmoids of 100..110 took 6.8 us, and 0.8 us with this bound, on an Emerald Rapids Xeon). NaN stays NaN (the max propagates it).
    /// </summary>
    private const float LowestExponent = -80f;

    public static float Invoke(float x) => 1f / (1f + ExpOp.Invoke(MathF.Max(-x, LowestExponent)));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> Invoke(Vector128<float> x) =>
        Vector128<float>.One / (Vector128<float>.One + ExpOp.Invoke(Vector128.Max(-x, Vector128.Create(LowestExponent))));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Invoke(Vector256<float> x) =>
        Vector256<float>.One / (Vector256<float>.One + ExpOp.Invoke(Vector256.Max(-x, Vector256.Create(LowestExponent))));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Invoke(Vector512<float> x) =>
        Vector512<float>.One / (Vector512<float>.One + ExpOp.Invoke(Vector512.Max(-x, Vector512.Create(LowestExponent))));
}

/// <summary>
/// tanh(x) = sign(x) (1 - 2 / (exp(2|x|) + 1)) for |x| &gt;= 0.3. Below 0.3 that form cancels (tanh(1e-5) would
/// lose every digit), so there an odd Taylor polynomial to x^13 is used; its truncation error at 0.3 is
/// about 1e-10 relative, far below float's 6e-8.
/// </summary>
internal readonly struct TanhOp : IUnaryOp
{
    private const float Threshold = 0.3f;
    private const float C3 = -1f / 3f;
    private const float C5 = 2f / 15f;
    private const float C7 = -17f / 315f;
    private const float C9 = 62f / 2835f;
    private const float C11 = -1382f / 155925f;
    private const float C13 = 21844f / 6081075f;

    public static float Invoke(float x) => MathF.Tanh(x);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> Invoke(Vector128<float> x)
    {
        Vector128<float> ax = Vector128.Abs(x);
        Vector128<float> x2 = x * x;
        Vector128<float> p = Vector128.Create(C13);
        p = p * x2 + Vector128.Create(C11);
        p = p * x2 + Vector128.Create(C9);
        p = p * x2 + Vector128.Create(C7);
        p = p * x2 + Vector128.Create(C5);
        p = p * x2 + Vector128.Create(C3);
        Vector128<float> small = x + x * x2 * p;
        Vector128<float> e = ExpOp.Invoke(ax + ax);
        Vector128<float> large = Vector128.CopySign(Vector128<float>.One - Vector128.Create(2f) / (e + Vector128<float>.One), x);
        return Vector128.ConditionalSelect(Vector128.LessThan(ax, Vector128.Create(Threshold)), small, large);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Invoke(Vector256<float> x)
    {
        Vector256<float> ax = Vector256.Abs(x);
        Vector256<float> x2 = x * x;
        Vector256<float> p = Vector256.Create(C13);
        p = p * x2 + Vector256.Create(C11);
        p = p * x2 + Vector256.Create(C9);
        p = p * x2 + Vector256.Create(C7);
        p = p * x2 + Vector256.Create(C5);
        p = p * x2 + Vector256.Create(C3);
        Vector256<float> small = x + x * x2 * p;
        Vector256<float> e = ExpOp.Invoke(ax + ax);
        Vector256<float> large = Vector256.CopySign(Vector256<float>.One - Vector256.Create(2f) / (e + Vector256<float>.One), x);
        return Vector256.ConditionalSelect(Vector256.LessThan(ax, Vector256.Create(Threshold)), small, large);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Invoke(Vector512<float> x)
    {
        Vector512<float> ax = Vector512.Abs(x);
        Vector512<float> x2 = x * x;
        Vector512<float> p = Vector512.Create(C13);
        p = p * x2 + Vector512.Create(C11);
        p = p * x2 + Vector512.Create(C9);
        p = p * x2 + Vector512.Create(C7);
        p = p * x2 + Vector512.Create(C5);
        p = p * x2 + Vector512.Create(C3);
        Vector512<float> small = x + x * x2 * p;
        Vector512<float> e = ExpOp.Invoke(ax + ax);
        Vector512<float> large = Vector512.CopySign(Vector512<float>.One - Vector512.Create(2f) / (e + Vector512<float>.One), x);
        return Vector512.ConditionalSelect(Vector512.LessThan(ax, Vector512.Create(Threshold)), small, large);
    }
}
