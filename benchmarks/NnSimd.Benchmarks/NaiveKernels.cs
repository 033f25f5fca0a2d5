namespace NnSimd.Benchmarks;

/// <summary>The plain loops users would write first: the baselines every benchmark's Ratio is against.</summary>
internal static class NaiveKernels
{
    // c: [m x n] = a: [m x k] . b: [k x n], row-major, i-p-j order (the cache-friendly naive order).
    public static void Gemm(float[] a, float[] b, float[] c, int m, int k, int n)
    {
        Array.Clear(c, 0, m * n);
        for (int i = 0; i < m; i++)
        {
            for (int p = 0; p < k; p++)
            {
                float aip = a[i * k + p];
                for (int j = 0; j < n; j++)
                {
                    c[i * n + j] += aip * b[p * n + j];
                }
            }
        }
    }

    public static void Sigmoid(float[] x, float[] y)
    {
        for (int i = 0; i < x.Length; i++)
        {
            y[i] = 1f / (1f + MathF.Exp(-x[i]));
        }
    }

    public static void SoftmaxRows(float[] x, float[] y, int cols)
    {
        for (int r = 0; r < x.Length / cols; r++)
        {
            float max = float.NegativeInfinity;
            for (int j = 0; j < cols; j++)
            {
                max = MathF.Max(max, x[r * cols + j]);
            }

            float sum = 0;
            for (int j = 0; j < cols; j++)
            {
                y[r * cols + j] = MathF.Exp(x[r * cols + j] - max);
                sum += y[r * cols + j];
            }

            for (int j = 0; j < cols; j++)
            {
                y[r * cols + j] /= sum;
            }
        }
    }

    /// <summary>The book's predict() as plain loops: sigmoid hidden layers, softmax output, rows [start, start + count).</summary>
    public static void Network(float[] x, int start, int count, float[][] weights, float[][] biases, float[] y)
    {
        float[] current = new float[count * 784];
        Array.Copy(x, start * 784, current, 0, current.Length);
        int width = 784;
        for (int l = 0; l < weights.Length; l++)
        {
            int outputs = biases[l].Length;
            var next = new float[count * outputs];
            Gemm(current, weights[l], next, count, width, outputs);
            for (int i = 0; i < next.Length; i++)
            {
                next[i] += biases[l][i % outputs];
            }

            if (l < weights.Length - 1)
            {
                Sigmoid(next, next);
            }
            else
            {
                SoftmaxRows(next, next, outputs);
            }

            current = next;
            width = outputs;
        }

        Array.Copy(current, 0, y, start * 10, current.Length);
    }
}
