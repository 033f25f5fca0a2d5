using NnSimd.Kernels;
using Xunit;

namespace NnSimd.Tests.Training;

public class BackwardKernelTests
{
    [Theory]
    [InlineData(1, 1, 1)]
    [InlineData(3, 10, 17)]
    [InlineData(100, 784, 50)]
    [InlineData(100, 50, 100)]
    [InlineData(7, 3, 10)]
    [InlineData(100, 100, 10)]
    public void Weight_gradient_matches_a_float64_reference(int m, int k, int n)
    {
        var rng = new Random(m + k + n);
        float[] x = Numerics.Random(rng, m * k);
        float[] dz = Numerics.Random(rng, m * n);
        var dw = new float[k * n];
        GemmBackward.TransposeMultiply(x, m, k, dz, n, dw);
        for (int p = 0; p < k; p++)
        {
            for (int j = 0; j < n; j++)
            {
                double sum = 0, mag = 0;
                for (int r = 0; r < m; r++)
                {
                    sum += (double)x[r * k + p] * dz[r * n + j];
                    mag += Math.Abs((double)x[r * k + p] * dz[r * n + j]);
                }

                Assert.True(Math.Abs(dw[p * n + j] - sum) <= (m + 1) * Numerics.U * mag + 1e-30, $"dw[{p},{j}] = {dw[p * n + j]}, expected {sum}");
            }
        }

        // Any split of the rows of dw gives the same bits (what threads rely on).
        var split = new float[k * n];
        GemmBackward.TransposeMultiply(x, m, k, dz, n, split, 0, k / 3);
        GemmBackward.TransposeMultiply(x, m, k, dz, n, split, k / 3, k);
        Assert.Equal(dw, split);
    }

    [Fact]
    public void Column_sums_and_activation_derivatives()
    {
        float[] dz = [1, 2, 3, 4, 5, 6];
        var db = new float[3];
        GemmBackward.ColumnSums(dz, 2, 3, db);
        Assert.Equal([5f, 7f, 9f], db);

        float[] y = [0.25f, 0.5f, 0f, -0.5f, 0.9f];
        float[] dy = [2f, 2f, 2f, 2f, 2f];
        var dx = new float[5];
        ActivationGradients.Backward(Activation.Sigmoid, y, dy, dx);
        Assert.Equal(y.Select(v => 2f * (v * (1f - v))).ToArray(), dx);
        ActivationGradients.Backward(Activation.Tanh, y, dy, dx);
        Assert.Equal(y.Select(v => 2f * (1f - v * v)).ToArray(), dx);
        ActivationGradients.Backward(Activation.Relu, y, dy, dx);
        Assert.Equal([2f, 2f, 0f, 0f, 2f], dx);
        Assert.Throws<ArgumentException>(() => ActivationGradients.Backward(Activation.Step, y, dy, dx));
    }

    [Fact]
    public void Losses_and_their_gradients()
    {
        // Cross-entropy from logits, with one-hot or index labels alike; never log(0).
        float[] z = [2f, 1f, 0.1f, 1000f, 0f, -1000f];
        var dIndex = new float[6];
        var dOneHot = new float[6];
        float a = Losses.SoftmaxCrossEntropy(z, (byte[])[0, 2], 3, dIndex);
        float b = Losses.SoftmaxCrossEntropy(z, (float[])[1, 0, 0, 0, 0, 1], 3, dOneHot);
        Assert.Equal(a, b, 6);
        Assert.True(float.IsFinite(a));
        double row0 = Math.Log(Math.Exp(2) + Math.Exp(1) + Math.Exp(0.1)) - 2;
        Assert.Equal((row0 + 2000) / 2, a, 0.01);
        Assert.Equal(dIndex, dOneHot);
        Assert.Equal(0, dIndex[..3].Sum(), 6);

        float[] y = [1f, 0f, 0.5f, 0.5f];
        float[] t = [0f, 0f, 1f, 0f];
        var dy = new float[4];
        Assert.Equal((0.5 * 1 + 0.5 * (0.25 + 0.25)) / 2, Losses.MeanSquaredError(y, t, 2, dy), 6);
        Assert.Equal([0.5f, 0f, -0.25f, 0.25f], dy);
    }
}
