namespace NnSimd.Kernels.Reference;

/// <summary>
/// x / divisor in float64, the oracle for <see cref="ByteScaling"/>. Rounded to float it is the correctly rounded
/// float32 quotient: a double (53 bits) carries at least 2 x 24 + 2 bits, and with that margin rounding a correctly
/// rounded double quotient to float never differs from rounding the exact quotient once (Figueroa, "When is double
/// rounding innocuous?", 1995), subnormal and overflowing quotients included.
/// </summary>
internal static class ByteScalingReference
{
    // x: [n] -> y: [n]
    public static double[] Divide(ReadOnlySpan<byte> x, float divisor)
    {
        var y = new double[x.Length];
        for (int i = 0; i < x.Length; i++)
        {
            y[i] = x[i] / (double)divisor;
        }

        return y;
    }
}
