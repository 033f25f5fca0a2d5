using NnSimd.Internal;

namespace NnSimd.Kernels;

/// <summary>
/// Losses over a batch of rows, averaged over the batch, with their gradients. Mean squared error follows the
/// book's sum of squares: E = 1/2 sum (y - t)^2 per row, so dE/dy = (y - t), both divided by the batch.
/// Cross-entropy is fused with softmax and computed from the logits with log-sum-exp, so it never takes log(0):
/// E = logsumexp(z) - z[label] per row, dE/dz = (softmax(z) - onehot) / batch.
/// </summary>
public static class Losses
{
    /// <summary>y, t: [rows x cols]; dy: [rows x cols] = (y - t) / rows. Returns sum over rows of 1/2 |y - t|^2, divided by rows.</summary>
    public static float MeanSquaredError(ReadOnlySpan<float> y, ReadOnlySpan<float> t, int cols, Span<float> dy)
    {
        int rows = Check(y, cols, dy);
        Guard.SameLength(y, t, nameof(y), nameof(t));
        double loss = 0;
        float scale = 1f / rows;
        for (int i = 0; i < y.Length; i++)
        {
            float d = y[i] - t[i];
            loss += 0.5 * d * d;
            dy[i] = d * scale;
        }

        return (float)(loss / rows);
    }

    /// <summary>
    /// logits: [rows x cols], labels: one class index per row; dLogits = (softmax(logits) - onehot) / rows.
    /// Returns the mean cross-entropy. <paramref name="dLogits"/> may be the logits span itself.
    /// </summary>
    public static float SoftmaxCrossEntropy(ReadOnlySpan<float> logits, ReadOnlySpan<byte> labels, int cols, Span<float> dLogits)
    {
        int rows = Check(logits, cols, dLogits);
        if (labels.Length != rows)
        {
            Guard.ThrowArgument($"logits has {rows} rows but labels has {labels.Length} entries.", nameof(labels));
        }

        for (int r = 0; r < rows; r++)
        {
            if (labels[r] >= cols)
            {
                Guard.ThrowArgument($"label {labels[r]} of row {r} is not a class 0..{cols - 1}.", nameof(labels));
            }
        }

        Guard.NoPartialOverlap(logits, dLogits, nameof(logits), nameof(dLogits));
        return (float)(Softmax.CrossEntropyRows(logits, labels, cols, 1f / rows, dLogits) / rows);
    }

    /// <summary>As the class-index overload, with one-hot (or soft) target rows t: E = -sum t log softmax(z).</summary>
    public static float SoftmaxCrossEntropy(ReadOnlySpan<float> logits, ReadOnlySpan<float> t, int cols, Span<float> dLogits)
    {
        int rows = Check(logits, cols, dLogits);
        Guard.SameLength(logits, t, nameof(logits), nameof(t));
        double loss = 0;
        float scale = 1f / rows;
        for (int r = 0; r < rows; r++)
        {
            Span<float> d = dLogits.Slice(r * cols, cols);
            ReadOnlySpan<float> tr = t.Slice(r * cols, cols);
            Softmax.Row(logits.Slice(r * cols, cols), d, log: true);
            for (int j = 0; j < cols; j++)
            {
                if (tr[j] != 0)
                {
                    loss -= tr[j] * d[j];
                }

                d[j] = (MathF.Exp(d[j]) - tr[j]) * scale;
            }
        }

        return (float)(loss / rows);
    }

    private static int Check(ReadOnlySpan<float> y, int cols, ReadOnlySpan<float> dy)
    {
        Guard.Positive(cols, nameof(cols));
        if (y.Length == 0 || y.Length % cols != 0)
        {
            Guard.ThrowArgument($"{y.Length} elements are not a whole positive number of rows of {cols}.", nameof(y));
        }

        if (dy.Length != y.Length)
        {
            Guard.ThrowArgument($"the gradient has {dy.Length} elements but the output has {y.Length}.", nameof(dy));
        }

        return y.Length / cols;
    }
}
