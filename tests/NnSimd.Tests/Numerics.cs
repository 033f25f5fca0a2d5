using Xunit;

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

    /// <summary>
    /// Checks a float32 tensor against its float64 reference, element i within <paramref name="bound"/>(i) (NaN
    /// where the reference is NaN, the same infinity where it is infinite). A failure names the tensor, how many
    /// elements are out, the worst one and the tensor's max |difference|. Returns that max |difference|.
    /// </summary>
    public static double AssertWithin(string tensor, ReadOnlySpan<float> actual, ReadOnlySpan<double> expected, Func<int, double> bound)
    {
        Assert.Equal(expected.Length, actual.Length);
        double max = 0, worstExcess = 0;
        int worst = -1, outside = 0;
        for (int i = 0; i < actual.Length; i++)
        {
            double e = expected[i];
            double diff = double.IsNaN(e) ? (float.IsNaN(actual[i]) ? 0 : double.PositiveInfinity)
                : actual[i] == e ? 0
                : Math.Abs(actual[i] - e);
            max = Math.Max(max, double.IsNaN(diff) ? double.PositiveInfinity : diff);
            double excess = diff - bound(i);
            if (!(excess <= 0))
            {
                outside++;
                if (worst < 0 || excess > worstExcess || double.IsNaN(excess))
                {
                    worst = i;
                    worstExcess = excess;
                }
            }
        }

        if (worst >= 0)
        {
            Assert.Fail(
                $"{tensor}: {outside} of {actual.Length} elements outside the bound, max |difference| {max:E3}; " +
                $"worst [{worst}] = {actual[worst]:R}, expected {expected[worst]:R}, bound {bound(worst):E3}");
        }

        return max;
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
