using NnSimd.Kernels;
using NnSimd.Kernels.Reference;
using Xunit;
using Xunit.Abstractions;

namespace NnSimd.Tests.Kernels;

/// <summary>
/// The losses against <see cref="LossesReference"/>. Bounds count roundings of relative size u = 2^-24 on exact
/// float inputs; each is multiplied by 1.01, which covers the terms of order u^2 and the float64 reference's own
/// rounding (about n 2^-53). A result among the subnormals is off by at most half their spacing per rounding.
/// </summary>
public class LossesTests(ITestOutputHelper output)
{
    private const double U = Numerics.U;

    public static TheoryData<int> Rows => new() { 1, 2, 3 };

    /// <summary>
    /// Mean squared error: dy = fl(fl(y - t) fl(1 / rows)) is three roundings of a product, so within 3u of the
    /// reference relatively. The loss sums 1/2 d^2 in float64 from d = fl(y - t) (2u relative; the squares and
    /// the sum of positive terms add nothing at float32 scale) and rounds once to float: 3u relative.
    /// </summary>
    [Theory]
    [MemberData(nameof(Rows))]
    public void Mean_squared_error_matches_the_reference_at_every_width(int rows)
    {
        var rng = new Random(rows);
        double maxLoss = 0, maxGradient = 0;
        for (int cols = 1; cols <= 70; cols++)
        {
            float[] y = Numerics.Random(rng, rows * cols, 2f);
            float[] t = Numerics.Random(rng, rows * cols);
            double expected = LossesReference.MeanSquaredError(Widen(y), Widen(t), cols, out double[] expectedDy);

            float[] buffer = Poison.Around(rows * cols);
            Span<float> dy = Poison.Inside(buffer);
            float loss = Losses.MeanSquaredError(y, t, cols, dy);
            Poison.AssertUntouched(buffer);
            maxGradient = Math.Max(maxGradient, Numerics.AssertWithin(
                $"MSE dy [{rows}, {cols}]", dy, expectedDy, i => (1.01 * 3 * U * Math.Abs(expectedDy[i])) + (2 * (double)float.Epsilon)));
            maxLoss = Math.Max(maxLoss, Numerics.AssertWithin(
                $"MSE loss [{rows}, {cols}]", [loss], [expected], _ => (1.01 * 3 * U * expected) + float.Epsilon));
        }

        output.WriteLine($"MSE over {rows} rows on {SimdInfo.Path}: max |difference| loss {maxLoss:E2}, dy {maxGradient:E2}");
    }

    /// <summary>
    /// Cross-entropy with class labels, one-hot rows and soft rows, every class count 1..70 (the log-softmax's
    /// vector bodies and tails), out of place inside poisoned memory and in place with the same bits.
    /// </summary>
    [Theory]
    [MemberData(nameof(Rows))]
    public void Softmax_cross_entropy_matches_the_reference_at_every_width_in_and_out_of_place(int rows)
    {
        var rng = new Random(100 + rows);
        double maxLoss = 0, maxGradient = 0;
        for (int cols = 1; cols <= 70; cols++)
        {
            float[] z = Numerics.Random(rng, rows * cols, 10f);
            byte[] labels = Enumerable.Range(0, rows).Select(_ => (byte)rng.Next(cols)).ToArray();
            float[] oneHot = LossesReference.OneHot(labels, cols).Select(v => (float)v).ToArray();
            float[] soft = SoftTargets(rng, rows, cols);

            foreach ((string name, float[]? t) in new[] { ("labels", (float[]?)null), ("one-hot", oneHot), ("soft", soft) })
            {
                double expected = t is null
                    ? LossesReference.SoftmaxCrossEntropy(Widen(z), labels, cols, out double[] expectedGrad)
                    : LossesReference.SoftmaxCrossEntropy(Widen(z), Widen(t), cols, out expectedGrad);
                float[] targets = t ?? oneHot;

                float[] buffer = Poison.Around(rows * cols);
                Span<float> grad = Poison.Inside(buffer);
                float loss = t is null ? Losses.SoftmaxCrossEntropy(z, labels, cols, grad) : Losses.SoftmaxCrossEntropy(z, t, cols, grad);
                Poison.AssertUntouched(buffer);

                string shape = $"[{rows}, {cols}] with {name}";
                double[] bound = GradientBound(z, targets, expectedGrad, cols);
                maxGradient = Math.Max(maxGradient, Numerics.AssertWithin($"cross-entropy dLogits {shape}", grad, expectedGrad, i => bound[i]));
                double lossBound = LossBound(z, targets, cols, expected);
                maxLoss = Math.Max(maxLoss, Numerics.AssertWithin($"cross-entropy loss {shape}", [loss], [expected], _ => lossBound));

                float[] inPlace = (float[])z.Clone();
                float inPlaceLoss = t is null ? Losses.SoftmaxCrossEntropy(inPlace, labels, cols, inPlace) : Losses.SoftmaxCrossEntropy(inPlace, t, cols, inPlace);
                Assert.Equal(grad.ToArray(), inPlace);
                Assert.Equal(loss, inPlaceLoss);
            }
        }

        output.WriteLine($"cross-entropy over {rows} rows on {SimdInfo.Path}: max |difference| loss {maxLoss:E2}, dLogits {maxGradient:E2}");
    }

    /// <summary>Logits 1000 apart: softmax underflows to 0 there, yet the loss is finite (log-sum-exp, never log(0)).</summary>
    [Fact]
    public void Extreme_logits_give_a_finite_loss_within_the_bound()
    {
        float[] z = [2f, 1f, 0.1f, 1000f, 0f, -1000f];
        byte[] labels = [0, 2];
        float[] oneHot = LossesReference.OneHot(labels, 3).Select(v => (float)v).ToArray();
        double expected = LossesReference.SoftmaxCrossEntropy(Widen(z), labels, 3, out double[] expectedGrad);
        var grad = new float[6];
        float loss = Losses.SoftmaxCrossEntropy(z, labels, 3, grad);
        Assert.True(float.IsFinite(loss));
        double[] bound = GradientBound(z, oneHot, expectedGrad, 3);
        Numerics.AssertWithin("dLogits", grad, expectedGrad, i => bound[i]);
        Numerics.AssertWithin("loss", [loss], [expected], _ => LossBound(z, oneHot, 3, expected));
    }

    /// <summary>
    /// Rows whose max is not finite, short (one vector) and long: NaN stays NaN; +Inf off the label is an infinite
    /// loss; +Inf at the label is the limit log(count of +Inf); a NaN below a finite max still makes the loss NaN.
    /// </summary>
    [Theory]
    [InlineData(3)]
    [InlineData(40)]
    public void Rows_that_are_not_finite_give_the_limits_and_never_hide_a_NaN(int cols)
    {
        float[] Row(params (int At, float Value)[] set)
        {
            var z = new float[cols];
            foreach ((int at, float value) in set)
            {
                z[at] = value;
            }

            return z;
        }

        float Loss(float[] z, byte label, float[] grad) => Losses.SoftmaxCrossEntropy(z, [label], cols, grad);
        var grad = new float[cols];
        Assert.True(float.IsNaN(Loss(Row((1, float.NaN)), 0, grad)));
        Assert.All(grad, g => Assert.True(float.IsNaN(g)));
        Assert.True(float.IsNaN(Loss(Row((1, float.NaN), (2, 5f)), 0, grad)));
        Assert.Equal(float.PositiveInfinity, Loss(Row((1, float.PositiveInfinity)), 0, grad));
        Assert.Equal(MathF.Log(2), Loss(Row((0, float.PositiveInfinity), (2, float.PositiveInfinity)), 0, grad), 6);
        Assert.Equal(-0.5f, grad[0], 6);
        Assert.Equal(0f, grad[1]);
        Assert.Equal(0.5f, grad[2], 6);
    }

    [Fact]
    public void Logits_and_gradient_overlapping_in_part_are_refused()
    {
        var buffer = new float[8];
        Assert.Contains("overlap", Assert.Throws<ArgumentException>(
            () => Losses.SoftmaxCrossEntropy(buffer.AsSpan(0, 6), (byte[])[0, 1], 3, buffer.AsSpan(2, 6))).Message);
    }

    /// <summary>The book's definition at a glance: values whose arithmetic is exact in float32.</summary>
    [Fact]
    public void Mean_squared_error_of_a_small_batch()
    {
        var dy = new float[4];
        Assert.Equal(0.375f, Losses.MeanSquaredError([1f, 0f, 0.5f, 0.5f], [0f, 0f, 1f, 0f], 2, dy));
        Assert.Equal([0.5f, 0f, -0.25f, 0.25f], dy);
    }

    [Fact]
    public void Bad_labels_and_shapes_are_refused()
    {
        var z = new float[6];
        var grad = new float[6];
        Assert.Throws<ArgumentException>(() => Losses.SoftmaxCrossEntropy(z, (byte[])[0, 3], 3, grad));
        Assert.Throws<ArgumentException>(() => Losses.SoftmaxCrossEntropy(z, (byte[])[0], 3, grad));
        Assert.Throws<ArgumentException>(() => Losses.SoftmaxCrossEntropy(z, new float[3], 3, grad));
        Assert.Throws<ArgumentException>(() => Losses.SoftmaxCrossEntropy(z, (byte[])[0, 1], 4, grad));
        Assert.Throws<ArgumentException>(() => Losses.MeanSquaredError(z, z, 3, new float[5]));
    }

    /// <summary>
    /// The error of one row's float32 log-softmax d_j = fl(fl(z_j - max) - fl(log s)), in units of u, with
    /// R = max_j (max - z_j) and n classes: the shift rounds by u |z_j - max| &lt;= u R; each exp is within 2 ulp
    /// (4u) of exp of its rounded input, so s, a float32 sum of n positive terms, is within u (4 + R + n) of the
    /// sum relatively (its terms' shift errors weigh at most R); log s adds that and its own ulp, at most
    /// 2u ln n (1 &lt;= s &lt;= n); the last subtraction rounds by u |d_j| &lt;= u (R + ln n). Together:
    /// D = 3R + 3 ln n + n + 4.
    /// </summary>
    private static double LogSoftmaxUnits(ReadOnlySpan<float> row)
    {
        double max = double.NegativeInfinity, min = double.PositiveInfinity;
        foreach (float v in row)
        {
            max = Math.Max(max, v);
            min = Math.Min(min, v);
        }

        return (3 * (max - min)) + (3 * Math.Log(row.Length)) + row.Length + 4;
    }

    /// <summary>
    /// dLogits_j = (p_j - t_j) / rows. p_j = exp(d_j) carries d_j's error (u D) and exp's own ulp (2u); the two
    /// roundings of 1 / rows and of the product add 2u: p_j (D + 4) u / rows. Subtracting t_j rounds once
    /// (exact by Sterbenz when the label's p_j &gt;= 1/2), and with the scaling after it at most 3u |p_j - t_j| / rows.
    /// </summary>
    private static double[] GradientBound(float[] z, float[] t, double[] expectedGrad, int cols)
    {
        int rows = z.Length / cols;
        var bound = new double[z.Length];
        for (int r = 0; r < rows; r++)
        {
            double d = LogSoftmaxUnits(z.AsSpan(r * cols, cols));
            for (int j = r * cols; j < (r + 1) * cols; j++)
            {
                double p = (expectedGrad[j] * rows) + t[j];
                bound[j] = (1.01 * U * (((d + 4) * p / rows) + (3 * Math.Abs(expectedGrad[j])))) + (4 * (double)float.Epsilon);
            }
        }

        return bound;
    }

    /// <summary>
    /// Each row's loss -sum t_j d_j takes d_j's error u D per unit of target, and the float32 product t_j d_j
    /// rounds by u |d_j| &lt;= u (R + ln n) &lt;= u D: (2D + 1) u per unit of target, the 1 to spare; the float64 sum
    /// adds nothing at float32 scale, and the mean rounds once to float: u |loss|.
    /// </summary>
    private static double LossBound(float[] z, float[] t, int cols, double expected)
    {
        int rows = z.Length / cols;
        double sum = 0;
        for (int r = 0; r < rows; r++)
        {
            ReadOnlySpan<float> row = z.AsSpan(r * cols, cols);
            double units = (2 * LogSoftmaxUnits(row)) + 1;
            double mass = 0;
            foreach (float v in t.AsSpan(r * cols, cols))
            {
                mass += Math.Abs(v);
            }

            sum += units * mass;
        }

        return (1.01 * U * ((sum / rows) + Math.Abs(expected))) + float.Epsilon;
    }

    /// <summary>Random rows of positive weights summing to about 1 (what label smoothing or distillation gives).</summary>
    private static float[] SoftTargets(Random rng, int rows, int cols)
    {
        var t = new float[rows * cols];
        for (int r = 0; r < rows; r++)
        {
            Span<float> row = t.AsSpan(r * cols, cols);
            double total = 0;
            for (int j = 0; j < cols; j++)
            {
                row[j] = (float)rng.NextDouble();
                total += row[j];
            }

            for (int j = 0; j < cols; j++)
            {
                row[j] = (float)(row[j] / total);
            }
        }

        return t;
    }

    private static double[] Widen(float[] x) => x.Select(v => (double)v).ToArray();
}
