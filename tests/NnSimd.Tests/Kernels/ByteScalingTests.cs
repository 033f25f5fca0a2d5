using NnSimd.Kernels;
using NnSimd.Kernels.Reference;
using Xunit;

namespace NnSimd.Tests.Kernels;

/// <summary>
/// Byte scaling promises float32 division bit for bit, so every quotient must equal the float64 reference
/// rounded to float (the correctly rounded quotient, see <see cref="ByteScalingReference"/>): 0 ulp, the sign of
/// zero included, NaN where the reference is NaN.
/// </summary>
public class ByteScalingTests
{
    /// <summary>Every length 0..300: no vector block (16, 32 or 64 bytes), one, several, and every tail after them.</summary>
    [Theory]
    [InlineData(255f)]
    [InlineData(3f)]
    public void Every_length_is_bitwise_division_and_nothing_past_y_is_written(float divisor)
    {
        var rng = new Random(9);
        for (int n = 0; n <= 300; n++)
        {
            var x = new byte[n];
            rng.NextBytes(x);
            float[] buffer = Poison.Around(n);
            Span<float> y = Poison.Inside(buffer);
            ByteScaling.Divide(x, divisor, y);
            Poison.AssertUntouched(buffer);
            AssertBitwise(ByteScalingReference.Divide(x, divisor), y, divisor);
        }
    }

    /// <summary>
    /// The reciprocal-and-correction form is used only for divisors it reproduces exactly; 1.5525068E-38 is one
    /// it does not (255 / d overflows in the reciprocal product), so it must fall back to dividing.
    /// </summary>
    [Fact]
    public void Byte_scaling_by_255_takes_the_fast_form_where_there_is_a_hardware_fma()
    {
        bool fma = System.Runtime.Intrinsics.X86.Fma.IsSupported || System.Runtime.Intrinsics.Arm.AdvSimd.IsSupported;
        Assert.Equal(fma && SimdInfo.Path != SimdPath.Scalar, ByteScaling.ReciprocalIsExact(255f));
        Assert.False(ByteScaling.ReciprocalIsExact(1.5525068E-38f));
    }

    [Theory]
    [InlineData(255f)]
    [InlineData(256f)]
    [InlineData(1f)]
    [InlineData(7f)]
    [InlineData(-255f)]
    [InlineData(0.1f)]
    [InlineData(1e30f)]
    [InlineData(1.5525068E-38f)]
    [InlineData(-2.8812546E-38f)]
    [InlineData(float.MaxValue)]
    [InlineData(float.Epsilon)]
    [InlineData(0f)]
    [InlineData(float.NaN)]
    [InlineData(float.PositiveInfinity)]
    public void Byte_scaling_is_bitwise_division_for_any_divisor(float divisor)
    {
        byte[] all = Enumerable.Range(0, 256).Select(i => (byte)i).ToArray();
        byte[] twice = [.. all, .. all, 1, 2, 3]; // vector loop and scalar tail
        double[] expected = ByteScalingReference.Divide(twice, divisor);
        for (int call = 0; call < 2; call++) // the first call checks the divisor, the second trusts the check
        {
            var y = new float[twice.Length];
            ByteScaling.Divide(twice, divisor, y);
            AssertBitwise(expected, y, divisor);
        }
    }

    [Fact]
    public void Lengths_must_match()
    {
        Assert.Throws<ArgumentException>(() => ByteScaling.Divide(new byte[3], 255f, new float[4]));
    }

    private static void AssertBitwise(double[] expected, ReadOnlySpan<float> y, float divisor)
    {
        for (int i = 0; i < y.Length; i++)
        {
            float rounded = (float)expected[i];
            Assert.True(
                BitConverter.SingleToInt32Bits(rounded) == BitConverter.SingleToInt32Bits(y[i]) || (float.IsNaN(rounded) && float.IsNaN(y[i])),
                $"y[{i}] of {y.Length} (divisor {divisor:R}) = {y[i]:R}, expected {rounded:R}");
        }
    }
}
