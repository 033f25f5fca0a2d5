namespace NnSimd.Kernels.Reference;

/// <summary>Plain float64 softmax of one finite row, shifted by its max: the oracle for <see cref="Softmax"/>.</summary>
internal static class SoftmaxReference
{
    public static double[] Row(ReadOnlySpan<float> x)
    {
        double[] y = Array.ConvertAll(x.ToArray(), v => (double)v);
        InPlace(y);
        return y;
    }

    /// <summary>The softmax of a float64 row, in place (the networks' references, whose activations are float64).</summary>
    public static void InPlace(Span<double> y)
    {
        double max = double.NegativeInfinity;
        foreach (double v in y)
        {
            max = Math.Max(max, v);
        }

        double sum = 0;
        for (int i = 0; i < y.Length; i++)
        {
            y[i] = Math.Exp(y[i] - max);
            sum += y[i];
        }

        for (int i = 0; i < y.Length; i++)
        {
            y[i] /= sum;
        }
    }

    public static double[] LogRow(ReadOnlySpan<float> x)
    {
        var wide = new double[x.Length];
        for (int i = 0; i < x.Length; i++)
        {
            wide[i] = x[i];
        }

        return LogRow(wide);
    }

    /// <summary>log softmax(x) = x - max - log(sum(exp(x - max))), for float64 rows (a loss at weights a gradient check moves).</summary>
    public static double[] LogRow(ReadOnlySpan<double> x)
    {
        double max = double.NegativeInfinity;
        foreach (double v in x)
        {
            max = Math.Max(max, v);
        }

        double sum = 0;
        foreach (double v in x)
        {
            sum += Math.Exp(v - max);
        }

        var y = new double[x.Length];
        for (int i = 0; i < x.Length; i++)
        {
            y[i] = x[i] - max - Math.Log(sum);
        }

        return y;
    }
}
