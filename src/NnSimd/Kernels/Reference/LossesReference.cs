namespace NnSimd.Kernels.Reference;

/// <summary>
/// The batch-mean losses and their gradients in float64, the oracles for <see cref="Losses"/>: mean squared error
/// E = 1/2 sum (y - t)^2 per row, and cross-entropy of softmax E = -sum t log softmax(z) per row, with
/// log softmax(z) from <see cref="SoftmaxReference.LogRow(ReadOnlySpan{double})"/> (finite rows). Each returns the loss
/// and gives the gradient of the batch mean, so every row's gradient is divided by the number of rows. Inputs are
/// float64 so a gradient check can also evaluate them at weights moved by less than a float32 ulp.
/// </summary>
internal static class LossesReference
{
    // y, t: [rows, cols] -> dy: [rows, cols]
    public static double MeanSquaredError(ReadOnlySpan<double> y, ReadOnlySpan<double> t, int cols, out double[] dy)
    {
        int rows = y.Length / cols;
        double loss = 0;
        dy = new double[y.Length];
        for (int i = 0; i < y.Length; i++)
        {
            double d = y[i] - t[i];
            loss += 0.5 * d * d;
            dy[i] = d / rows;
        }

        return loss / rows;
    }

    // logits, t: [rows, cols] -> dLogits: [rows, cols]
    public static double SoftmaxCrossEntropy(ReadOnlySpan<double> logits, ReadOnlySpan<double> t, int cols, out double[] dLogits)
    {
        int rows = logits.Length / cols;
        double loss = 0;
        dLogits = new double[logits.Length];
        for (int r = 0; r < rows; r++)
        {
            double[] logP = SoftmaxReference.LogRow(logits.Slice(r * cols, cols));
            for (int j = 0; j < cols; j++)
            {
                double tj = t[r * cols + j];
                loss -= tj * logP[j];
                dLogits[r * cols + j] = (Math.Exp(logP[j]) - tj) / rows;
            }
        }

        return loss / rows;
    }

    // logits: [rows, cols], labels: [rows] -> dLogits: [rows, cols]; a label is the one-hot row it stands for
    public static double SoftmaxCrossEntropy(ReadOnlySpan<double> logits, ReadOnlySpan<byte> labels, int cols, out double[] dLogits) =>
        SoftmaxCrossEntropy(logits, OneHot(labels, cols), cols, out dLogits);

    // labels: [rows] -> [rows, cols]
    public static double[] OneHot(ReadOnlySpan<byte> labels, int cols)
    {
        var t = new double[labels.Length * cols];
        for (int r = 0; r < labels.Length; r++)
        {
            t[r * cols + labels[r]] = 1;
        }

        return t;
    }
}
