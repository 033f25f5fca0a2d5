namespace NnSimd.Tests;

/// <summary>Error measures against a float64 reference.</summary>
internal static class Numerics
{
    /// <summary>Float32 unit roundoff, 2^-24.</summary>
    public const double U = 5.9604644775390625e-8;

    /// <summary>The spacing of float32 values at |x| (the ulp), for normal and subnormal x.</summary>
    public static double Ulp(double x)
    {
        float f = (float)Math.Abs(x);
        if (float.IsInfinity(f))
        {
            return double.PositiveInfinity;
        }

        return (double)MathF.BitIncrement(f) - f;
    }

    /// <summary>|actual - expected| in ulps of the expected value (0 when both are the same infinity or NaN).</summary>
    public static double UlpError(float actual, double expected)
    {
        if (double.IsNaN(expected))
        {
            return float.IsNaN(actual) ? 0 : double.PositiveInfinity;
        }

        // Beyond float.MaxValue (after rounding) the right float answer is the infinity.
        float rounded = (float)expected;
        if (float.IsInfinity(rounded) || float.IsInfinity(actual))
        {
            return actual == rounded ? 0 : double.PositiveInfinity;
        }

        return Math.Abs(actual - expected) / Ulp(expected);
    }

    public static float[] Random(Random rng, int length, float scale = 1f)
    {
        var a = new float[length];
        for (int i = 0; i < a.Length; i++)
        {
            a[i] = (float)(rng.NextDouble() * 2 - 1) * scale;
        }

        return a;
    }
}
