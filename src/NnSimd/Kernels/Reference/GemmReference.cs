namespace NnSimd.Kernels.Reference;

/// <summary>
/// The naive triple loop in float64: c = activation(a . b + bias), a: [m x k], b: [k x n] row-major,
/// bias: [n] or empty. The oracle for <see cref="Gemm"/>; also returns sum |a_ip b_pj| per element, the scale
/// of the rounding error a float32 sum can make, so tests can bound the error per element.
/// </summary>
internal static class GemmReference
{
    public static double[] Multiply(
        ReadOnlySpan<float> a, int m, int k, ReadOnlySpan<float> b, int n, ReadOnlySpan<float> bias, Activation activation,
        out double[] magnitude)
    {
        var c = new double[m * n];
        magnitude = new double[m * n];
        for (int i = 0; i < m; i++)
        {
            for (int j = 0; j < n; j++)
            {
                double sum = bias.IsEmpty ? 0 : bias[j];
                double mag = bias.IsEmpty ? 0 : Math.Abs(bias[j]);
                for (int p = 0; p < k; p++)
                {
                    double term = (double)a[i * k + p] * b[p * n + j];
                    sum += term;
                    mag += Math.Abs(term);
                }

                c[i * n + j] = sum;
                magnitude[i * n + j] = mag;
            }
        }

        if (activation == Activation.Softmax)
        {
            for (int i = 0; i < m; i++)
            {
                var row = new float[n];
                for (int j = 0; j < n; j++)
                {
                    row[j] = (float)c[i * n + j];
                }

                SoftmaxReference.Row(row).CopyTo(c, i * n);
            }
        }
        else
        {
            for (int i = 0; i < c.Length; i++)
            {
                c[i] = ActivationsReference.Apply(activation, c[i]);
            }
        }

        return c;
    }
}
