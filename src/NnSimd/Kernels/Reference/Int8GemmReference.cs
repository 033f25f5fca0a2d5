namespace NnSimd.Kernels.Reference;

/// <summary>The int8 GEMM by definition: exact integer sums, then the scaling the kernel documents.</summary>
internal static class Int8GemmReference
{
    // a: [m, k] bytes, q: [k, n] int8 row-major; returns [m, n] exact sums.
    public static long[] Sums(ReadOnlySpan<byte> a, int m, int k, ReadOnlySpan<sbyte> q, int n)
    {
        var sums = new long[m * n];
        for (int i = 0; i < m; i++)
        {
            for (int j = 0; j < n; j++)
            {
                long s = 0;
                for (int p = 0; p < k; p++)
                {
                    s += a[(i * k) + p] * (long)q[(p * n) + j];
                }

                sums[(i * n) + j] = s;
            }
        }

        return sums;
    }

    // sums: [m, n], rowScales: [m] or [1], colScales: [n], bias: [n] or empty; returns [m, n] before the activation:
    // float(sum) * (rowScale * colScale) + bias, each operation rounded to float32 as the kernel rounds it.
    public static float[] Scaled(long[] sums, int m, int n, ReadOnlySpan<float> rowScales, ReadOnlySpan<float> colScales, ReadOnlySpan<float> bias)
    {
        var y = new float[m * n];
        for (int i = 0; i < m; i++)
        {
            float rs = rowScales[rowScales.Length == 1 ? 0 : i];
            for (int j = 0; j < n; j++)
            {
                float scale = rs * colScales[j];
                float v = (float)checked((int)sums[(i * n) + j]) * scale;
                y[(i * n) + j] = bias.IsEmpty ? v + 0f : v + bias[j];
            }
        }

        return y;
    }

    // The float64 product of the dequantized operands: what quantization approximates.
    // a: [m, k] bytes, b: [k, n] float; returns [m, n] of rowScale * a . b.
    public static double[] Dequantized(ReadOnlySpan<byte> a, int m, int k, float rowScale, ReadOnlySpan<float> b, int n)
    {
        var y = new double[m * n];
        for (int i = 0; i < m; i++)
        {
            for (int j = 0; j < n; j++)
            {
                double s = 0;
                for (int p = 0; p < k; p++)
                {
                    s += a[(i * k) + p] * (double)rowScale * b[(p * n) + j];
                }

                y[(i * n) + j] = s;
            }
        }

        return y;
    }
}
