using System.Numerics.Tensors;
using NnSimd.Training;
using Xunit;

namespace NnSimd.Tests.Training;

public class MomentumUpdateTests
{
    /// <summary>
    /// The fused pass gives the bits of the three whole-array passes it replaced (v *= momentum; v = g * -rate + v;
    /// w += v, or w = g * -rate + w without momentum), at every length 0..70 (whole vectors and every tail), with
    /// values across the float range, and touches nothing past the arrays.
    /// </summary>
    [Theory]
    [InlineData(0.9f, 0.05f)]
    [InlineData(0.5f, 0.2f)]
    [InlineData(0f, 0.1f)]
    public void Matches_the_three_passes_bitwise_at_every_length(float momentum, float rate)
    {
        var rng = new Random(9);
        for (int n = 0; n <= 70; n++)
        {
            float[] w = Values(rng, n), g = Values(rng, n), v = Values(rng, n);
            float[] expectedW = [.. w], expectedV = [.. v];
            if (momentum == 0)
            {
                TensorPrimitives.MultiplyAdd(g, -rate, expectedW, expectedW);
            }
            else
            {
                TensorPrimitives.Multiply(expectedV, momentum, expectedV);
                TensorPrimitives.MultiplyAdd(g, -rate, expectedV, expectedV);
                TensorPrimitives.Add(expectedW, expectedV, expectedW);
            }

            float[] wBuffer = [.. w, 777f], vBuffer = [.. v, 777f];
            MomentumUpdate.Apply(wBuffer.AsSpan(0, n), g, vBuffer.AsSpan(0, n), rate, momentum);
            Assert.Equal(expectedW, wBuffer[..n]);
            Assert.Equal(expectedV, vBuffer[..n]);
            Assert.Equal(777f, wBuffer[n]);
            Assert.Equal(777f, vBuffer[n]);
        }
    }

    [Fact]
    public void Arrays_of_different_lengths_are_refused() =>
        Assert.Throws<ArgumentException>(() => MomentumUpdate.Apply(new float[3], new float[3], new float[2], 0.1f, 0.9f));

    // Magnitudes from 1e-30 to 1e30, either sign: products and sums that round, and some that are exact.
    private static float[] Values(Random rng, int n) =>
        Enumerable.Range(0, n).Select(_ => (float)((rng.Next(2) * 2 - 1) * Math.Pow(10, rng.Next(-30, 31)) * rng.NextDouble())).ToArray();
}
