using NnSimd.Kernels.Reference;
using NnSimd.Training;
using Xunit;

namespace NnSimd.Tests.Training;

/// <summary>
/// Backpropagation against central differences of the loss, both in float64: the trainer's weights are read,
/// the network and loss are evaluated in double with each weight moved by +-h, and (L(w+h) - L(w-h)) / 2h is
/// compared with the trainer's float32 gradient. With h = 1e-4 the difference quotient's truncation error is
/// O(h^2) ~ 1e-8 and its rounding error in double ~ 1e-12 / h, so the reference is good to ~1e-7; the float32
/// gradient itself carries relative errors near 1e-6 per operation. A bound of 1e-3 relative (plus 1e-6
/// absolute for near-zero entries) therefore catches any wrong formula (which errs by O(1)) with a wide margin.
/// </summary>
public class GradientCheckTests
{
    private const int Batch = 4;

    public static TheoryData<Activation, Loss> Cases => new()
    {
        { Activation.Sigmoid, Loss.CrossEntropy },
        { Activation.Relu, Loss.CrossEntropy },
        { Activation.Tanh, Loss.CrossEntropy },
        { Activation.Identity, Loss.CrossEntropy },
        { Activation.Sigmoid, Loss.MeanSquaredError },
        { Activation.Tanh, Loss.MeanSquaredError },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Backpropagation_matches_central_differences(Activation hidden, Loss loss)
    {
        int[] widths = [5, 7, 6, 3];
        var trainer = new Trainer(widths, hidden, new TrainerOptions { BatchSize = Batch, Loss = loss, Seed = 5, Init = Init.Xavier });
        float[] x = Numerics.Random(new Random(3), Batch * widths[0], 2f);
        byte[] labels = [0, 2, 1, 2];
        trainer.Gradients(x, labels);

        double[][] w = Enumerable.Range(0, 3).Select(l => trainer.GetWeights(l).Select(v => (double)v).ToArray()).ToArray();
        double[][] b = Enumerable.Range(0, 3).Select(l => trainer.Biases(l).ToArray().Select(v => (double)v).ToArray()).ToArray();
        const double h = 1e-4;
        for (int l = 0; l < 3; l++)
        {
            float[] analyticW = trainer.WeightGradient(l);
            for (int i = 0; i < w[l].Length; i++)
            {
                double keep = w[l][i];
                w[l][i] = keep + h;
                double up = Loss64(widths, w, b, x, labels, hidden, loss);
                w[l][i] = keep - h;
                double down = Loss64(widths, w, b, x, labels, hidden, loss);
                w[l][i] = keep;
                double numeric = (up - down) / (2 * h);
                Assert.True(Math.Abs(analyticW[i] - numeric) <= 1e-3 * Math.Abs(numeric) + 1e-6,
                    $"{hidden}/{loss}: dW{l + 1}[{i}] = {analyticW[i]}, central difference {numeric}");
            }

            float[] analyticB = trainer.BiasGradient(l).ToArray();
            for (int i = 0; i < b[l].Length; i++)
            {
                double keep = b[l][i];
                b[l][i] = keep + h;
                double up = Loss64(widths, w, b, x, labels, hidden, loss);
                b[l][i] = keep - h;
                double down = Loss64(widths, w, b, x, labels, hidden, loss);
                b[l][i] = keep;
                double numeric = (up - down) / (2 * h);
                Assert.True(Math.Abs(analyticB[i] - numeric) <= 1e-3 * Math.Abs(numeric) + 1e-6,
                    $"{hidden}/{loss}: db{l + 1}[{i}] = {analyticB[i]}, central difference {numeric}");
            }
        }
    }

    /// <summary>The batch-mean loss in float64.</summary>
    private static double Loss64(int[] widths, double[][] w, double[][] b, float[] x, byte[] labels, Activation hidden, Loss loss)
    {
        int classes = widths[^1];
        var outputs = new double[Batch * classes];
        for (int r = 0; r < Batch; r++)
        {
            double[] a = x.Skip(r * widths[0]).Take(widths[0]).Select(v => (double)v).ToArray();
            for (int l = 0; l < 3; l++)
            {
                var z = new double[widths[l + 1]];
                for (int j = 0; j < z.Length; j++)
                {
                    z[j] = b[l][j];
                    for (int p = 0; p < a.Length; p++)
                    {
                        z[j] += a[p] * w[l][p * z.Length + j];
                    }
                }

                a = l < 2 ? z.Select(v => ActivationsReference.Apply(hidden, v)).ToArray() : z;
            }

            a.CopyTo(outputs, r * classes);
        }

        return loss == Loss.CrossEntropy
            ? LossesReference.SoftmaxCrossEntropy(outputs, labels, classes, out _)
            : LossesReference.MeanSquaredError(outputs, LossesReference.OneHot(labels, classes), classes, out _);
    }
}
