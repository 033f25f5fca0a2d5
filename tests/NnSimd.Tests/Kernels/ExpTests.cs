using System.Runtime.Intrinsics;
using NnSimd.Kernels;
using NnSimd.Kernels.Reference;
using Xunit;
using Xunit.Abstractions;

namespace NnSimd.Tests.Kernels;

/// <summary>
/// The float32 exp under sigmoid, tanh and softmax (<see cref="ExpOp"/>) against <see cref="ExpReference"/>, at
/// each width its callers use. Error in float32 ulps of the reference; among the subnormals the ulp is their
/// spacing, 2^-149.
/// </summary>
public class ExpTests(ITestOutputHelper output)
{
    public static TheoryData<SimdPath> Widths => new() { SimdPath.Vector512, SimdPath.Vector256, SimdPath.Vector128, SimdPath.Scalar };

    /// <summary>
    /// The whole useful range and past it at both ends (-104 rounds to 0, 89 overflows; the kernel clamps there):
    /// every 2^-10 from -110 to 95, the small magnitudes where exp(x) is near 1 + x (2^-40 to 1 in steps of 0.1%,
    /// both signs), 2^20 random bit patterns that fall in [-110, 95] (dense near 0, as float values are), and the
    /// thresholds: overflow at 88.72284, the subnormals from -87.33655, 2^-149 at -103.27893, 0 below -103.97208.
    /// Measured maximum errors over these 812,136 inputs: 0.89 ulp (at x = 3.8138428) where the multiply-adds are
    /// fused (Vector512, Vector256, and Vector128 with FMA), 1.17 ulp (at x = 48.180664) where each rounds twice
    /// (the scalar code, and Vector128 when FMA is off, as under DOTNET_EnableAVX2=0).
    /// </summary>
    [Theory]
    [MemberData(nameof(Widths))]
    public void Exp_is_within_2_ulp_of_the_float64_reference_over_its_whole_range(SimdPath width)
    {
        if (!IsAccelerated(width))
        {
            output.WriteLine($"{width} is not accelerated in this process: not what the kernels run");
            return;
        }

        float[] x = Inputs();
        float[] y = Apply(width, x);
        double worst = 0;
        float worstAt = 0;
        for (int i = 0; i < x.Length; i++)
        {
            double e = Numerics.UlpError(y[i], ExpReference.Exp(x[i]));
            if (!(e <= worst))
            {
                worst = e;
                worstAt = x[i];
            }
        }

        output.WriteLine($"exp at {width} over {x.Length} inputs: max error {worst:F2} ulp at x = {worstAt:R}");
        Assert.True(worst <= 2, $"exp at {width}: {worst} ulp at x = {worstAt:R}, {Apply(width, [worstAt])[0]:R} for {ExpReference.Exp(worstAt):R}");
    }

    [Theory]
    [MemberData(nameof(Widths))]
    public void Edge_values_are_their_limits(SimdPath width)
    {
        if (!IsAccelerated(width))
        {
            return;
        }

        float[] x = [0f, -0f, float.NegativeInfinity, float.PositiveInfinity, float.NaN, -1000f, 1000f, float.MinValue, float.MaxValue, -104f, 89f];
        float[] y = Apply(width, x);
        Assert.Equal([1f, 1f, 0f, float.PositiveInfinity], y[..4]);
        Assert.True(float.IsNaN(y[4]));
        Assert.Equal([0f, float.PositiveInfinity, 0f, float.PositiveInfinity, 0f, float.PositiveInfinity], y[5..]);
    }

    /// <summary>
    /// On AVX-512 exp scales by 2^n with one VSCALEFPS; the 256-bit code (the same FMA polynomial) scales in two
    /// multiplies. Both round p 2^n once, so their lanes must agree bit for bit, subnormal results included.
    /// </summary>
    [Fact]
    public void Exp_scaled_by_vscalef_equals_the_two_step_scaling_bitwise()
    {
        if (!System.Runtime.Intrinsics.X86.Avx512F.IsSupported || !System.Runtime.Intrinsics.X86.Fma.IsSupported)
        {
            return; // no VSCALEFPS here: every path scales in two steps
        }

        var lanes = new float[16];
        for (float start = -110f; start < 95f; start += 0.0137f * 16)
        {
            for (int i = 0; i < 16; i++)
            {
                lanes[i] = start + (i * 0.0137f);
            }

            Vector512<float> wide = ExpOp.Invoke(Vector512.Create(lanes));
            Vector256<float> low = ExpOp.Invoke(Vector256.Create(lanes.AsSpan(0, 8)));
            Vector256<float> high = ExpOp.Invoke(Vector256.Create(lanes.AsSpan(8, 8)));
            for (int i = 0; i < 16; i++)
            {
                float twoStep = i < 8 ? low[i] : high[i - 8];
                Assert.True(
                    BitConverter.SingleToInt32Bits(twoStep) == BitConverter.SingleToInt32Bits(wide[i]),
                    $"exp({lanes[i]:R}): VSCALEFPS {wide[i]:R}, two steps {twoStep:R}");
            }
        }
    }

    private static bool IsAccelerated(SimdPath width) => width switch
    {
        SimdPath.Vector512 => Vector512.IsHardwareAccelerated,
        SimdPath.Vector256 => Vector256.IsHardwareAccelerated,
        SimdPath.Vector128 => Vector128.IsHardwareAccelerated,
        _ => true,
    };

    private static float[] Inputs()
    {
        var xs = new List<float>();
        for (int i = -110 * 1024; i <= 95 * 1024; i++)
        {
            xs.Add(i / 1024f);
        }

        for (double v = Math.Pow(2, -40); v <= 1; v *= 1.001)
        {
            xs.Add((float)v);
            xs.Add((float)-v);
        }

        var rng = new Random(2026);
        for (int i = 0; i < 1 << 20; i++)
        {
            float v = BitConverter.Int32BitsToSingle(rng.Next(int.MinValue, int.MaxValue));
            if (v is >= -110f and <= 95f)
            {
                xs.Add(v);
            }
        }

        xs.AddRange([88.72283f, 88.72284f, 88.7228394f, -87.33654f, -87.33655f, -103.27892f, -103.27893f, -103.97207f, -103.97208f, -103.9721f]);
        xs.AddRange([float.Epsilon, -float.Epsilon, 1e-30f, -1e-30f, 0f, -0f]);
        return xs.ToArray();
    }

    /// <summary>exp of every element at one width: whole vectors, then the rest padded with zeros.</summary>
    private static float[] Apply(SimdPath width, float[] x)
    {
        int lanes = width switch { SimdPath.Vector512 => 16, SimdPath.Vector256 => 8, SimdPath.Vector128 => 4, _ => 1 };
        var padded = new float[(x.Length + lanes - 1) / lanes * lanes];
        x.CopyTo(padded, 0);
        var y = new float[padded.Length];
        for (int i = 0; i < padded.Length; i += lanes)
        {
            ReadOnlySpan<float> v = padded.AsSpan(i, lanes);
            Span<float> d = y.AsSpan(i, lanes);
            switch (width)
            {
                case SimdPath.Vector512: ExpOp.Invoke(Vector512.Create(v)).CopyTo(d); break;
                case SimdPath.Vector256: ExpOp.Invoke(Vector256.Create(v)).CopyTo(d); break;
                case SimdPath.Vector128: ExpOp.Invoke(Vector128.Create(v)).CopyTo(d); break;
                default: d[0] = ExpOp.Invoke(v[0]); break;
            }
        }

        return y[..x.Length];
    }
}
