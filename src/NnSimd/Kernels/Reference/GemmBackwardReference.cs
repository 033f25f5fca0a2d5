namespace NnSimd.Kernels.Reference;

/// <summary>
/// The plain float64 sums of a dense layer's backward pass, the oracles for <see cref="GemmBackward"/>. Each also
/// returns the sum of its terms' magnitudes per element, the scale of the rounding error a float32 sum of the same
/// terms can make, so tests can bound the error per element.
/// </summary>
internal static class GemmBackwardReference
{
    // x: [m, k], dz: [m, n] -> dw: [k, n], dw[p, j] = sum over r of x[r, p] dz[r, j]: the forward product of x^T and dz
    public static double[] TransposeMultiply(
        ReadOnlySpan<float> x, int m, int k, ReadOnlySpan<float> dz, int n, out double[] magnitude)
    {
        var xT = new float[k * m];
        for (int r = 0; r < m; r++)
        {
            for (int p = 0; p < k; p++)
            {
                xT[p * m + r] = x[r * k + p];
            }
        }

        return GemmReference.Multiply(xT, k, m, dz, n, [], Activation.Identity, out magnitude);
    }

    // dz: [m, n] -> db: [n], db[j] = sum over r of dz[r, j]
    public static double[] ColumnSums(ReadOnlySpan<float> dz, int m, int n, out double[] magnitude)
    {
        var db = new double[n];
        magnitude = new double[n];
        for (int r = 0; r < m; r++)
        {
            for (int j = 0; j < n; j++)
            {
                db[j] += dz[r * n + j];
                magnitude[j] += Math.Abs(dz[r * n + j]);
            }
        }

        return db;
    }
}
