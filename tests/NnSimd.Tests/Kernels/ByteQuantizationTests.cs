using NnSimd.Kernels;
using NnSimd.Kernels.Reference;
using Xunit;

namespace NnSimd.Tests.Kernels;

/// <summary>
/// Quantization to bytes is exact after one float32 product, so every byte must equal the reference's: 0 steps off,
/// at every length (no vector block, one, several, every tail), with values below 0, above 255 and on ties.
/// </summary>
public class ByteQuantizationTests
{
    [Theory]
    [InlineData(255f)]
    [InlineData(12.75f)]
    public void Every_length_is_the_reference_and_nothing_past_q_is_written(float inverseScale)
    {
        var rng = new Random(5);
        for (int n = 0; n <= 300; n++)
        {
            float[] x = Values(rng, n, inverseScale);
            byte[] buffer = new byte[n + 32];
            Array.Fill(buffer, (byte)0xA5);
            Span<byte> q = buffer.AsSpan(16, n);
            Assert.True(ByteQuantization.Quantize(x, inverseScale, q));
            Assert.All(buffer[..16], b => Assert.Equal(0xA5, b));
            Assert.All(buffer[^16..], b => Assert.Equal(0xA5, b));
            byte[] expected = ByteQuantizationReference.Quantize(x, inverseScale);
            for (int i = 0; i < n; i++)
            {
                Assert.True(expected[i] == q[i], $"n={n} i={i}: x={x[i]:R} x s={x[i] * inverseScale:R} gave {q[i]}, expected {expected[i]}");
            }
        }
    }

    [Fact]
    public void Ties_round_to_even_and_out_of_range_values_saturate()
    {
        float[] x = [0.5f, 1.5f, 2.5f, 254.5f, -0.5f, -3f, 255.4f, 255.6f, 1e30f, -1e30f, 0f, -0f, 127.49999f, float.Epsilon];
        byte[] expected = [0, 2, 2, 254, 0, 0, 255, 255, 255, 0, 0, 0, 127, 0];
        foreach (int pad in new[] { 0, 64 })
        {
            // Padded to 64 elements and more, so the values go through the vector loop as well as the tail.
            float[] input = [.. new float[pad], .. x];
            var q = new byte[input.Length];
            Assert.True(ByteQuantization.Quantize(input, 1f, q));
            Assert.Equal(expected, q[pad..]);
        }
    }

    [Fact]
    public void A_NaN_or_infinity_anywhere_is_reported()
    {
        foreach (float bad in new[] { float.NaN, float.PositiveInfinity, float.NegativeInfinity })
        {
            foreach (int n in new[] { 1, 15, 50, 64, 67, 100, 200 })
            {
                for (int at = 0; at < n; at += Math.Max(1, n / 7))
                {
                    var x = new float[n];
                    x[at] = bad;
                    Assert.False(ByteQuantization.Quantize(x, 255f, new byte[n]), $"{bad} at {at} of {n}");
                }
            }
        }
    }

    [Fact]
    public void Lengths_must_match() =>
        Assert.Throws<ArgumentException>(() => ByteQuantization.Quantize(new float[5], 1f, new byte[4]));

    /// <summary>Mostly in range, some below 0 and above 255 after scaling, some exactly on a tie.</summary>
    private static float[] Values(Random rng, int n, float inverseScale)
    {
        var x = new float[n];
        for (int i = 0; i < n; i++)
        {
            x[i] = (i % 5) switch
            {
                0 => (rng.Next(-20, 280) + 0.5f) / inverseScale,
                _ => (float)((rng.NextDouble() * 300) - 20) / inverseScale,
            };
        }

        return x;
    }
}
