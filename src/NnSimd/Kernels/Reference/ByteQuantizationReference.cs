namespace NnSimd.Kernels.Reference;

/// <summary>
/// The oracle for <see cref="ByteQuantization"/>: the float32 product x · inverseScale (one rounding, as the kernel
/// computes it), then clamped to [0, 255] and rounded to the nearest integer, ties to even, in float64 (exact).
/// </summary>
internal static class ByteQuantizationReference
{
    // x: [n] -> [n]
    public static byte[] Quantize(ReadOnlySpan<float> x, float inverseScale)
    {
        var q = new byte[x.Length];
        for (int i = 0; i < x.Length; i++)
        {
            double p = x[i] * inverseScale;
            q[i] = (byte)Math.Round(Math.Clamp(p, 0, 255), MidpointRounding.ToEven);
        }

        return q;
    }
}
