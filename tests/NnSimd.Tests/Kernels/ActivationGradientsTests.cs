using NnSimd.Kernels;
using NnSimd.Kernels.Reference;
using Xunit;
using Xunit.Abstractions;

namespace NnSimd.Tests.Kernels;

public class ActivationGradientsTests(ITestOutputHelper output)
{
    public static TheoryData<Activation> WithGradient => new()
    {
        Activation.Identity, Activation.Sigmoid, Activation.Relu, Activation.Tanh,
    };

    /// <summary>
    /// The bound on |dz - reference| for one element, from the float32 operations each gradient takes on exact
    /// float inputs, each rounding once by a factor (1 + d), |d| &lt;= u:
    /// identity and ReLU pass dy or 0 through, exactly;
    /// sigmoid dy (y (1 - y)) is three roundings of a product, relative error (1 + u)^3 - 1 &lt;= 3u (1 + 3u);
    /// tanh dy (1 - y^2) rounds y^2 before the subtraction, which can cancel (y near 1), so its error is
    /// |dy| (2u |1 - y^2| + u y^2) to first order, here with the u^2 terms folded into (1 + 3u).
    /// A result among the subnormals is off by at most half their spacing per rounding instead.
    /// </summary>
    private static double Bound(Activation activation, float y, float dy, double expected) => activation switch
    {
        Activation.Sigmoid => (3 * Numerics.U * (1 + 3 * Numerics.U) * Math.Abs(expected)) + (2 * (double)float.Epsilon),
        Activation.Tanh => (Numerics.U * (1 + 3 * Numerics.U) * Math.Abs(dy) * ((2 * Math.Abs(1 - ((double)y * y))) + ((double)y * y))) + (2 * (double)float.Epsilon),
        _ => 0,
    };

    /// <summary>
    /// Every length 0..70 (each vector width's body and all of its tails): out of place inside a poisoned buffer,
    /// in place (dz = dy) with the same bits, and within <see cref="Bound"/> of the float64 reference.
    /// </summary>
    [Theory]
    [MemberData(nameof(WithGradient))]
    public void Every_length_in_and_out_of_place_matches_the_reference(Activation activation)
    {
        var rng = new Random(17);
        double max = 0;
        for (int n = 0; n <= 70; n++)
        {
            // Outputs over [-1.5, 1.5] (past the activations' ranges, which the formulas do not assume) with exact
            // zeros, where ReLU's gradient switches.
            float[] y = Numerics.Random(rng, n, 1.5f);
            for (int i = 0; i < n; i += 5)
            {
                y[i] = 0f;
            }

            float[] dy = Numerics.Random(rng, n, 4f);
            double[] expected = y.Zip(dy, (a, b) => ActivationGradientsReference.Backward(activation, a, b)).ToArray();

            float[] buffer = Poison.Around(n);
            Span<float> dz = Poison.Inside(buffer);
            ActivationGradients.Backward(activation, y, dy, dz);
            Poison.AssertUntouched(buffer);
            max = Math.Max(max, Numerics.AssertWithin($"{activation} dz[{n}]", dz, expected, i => Bound(activation, y[i], dy[i], expected[i])));

            float[] inPlace = (float[])dy.Clone();
            ActivationGradients.Backward(activation, y, inPlace, inPlace);
            Assert.Equal(dz.ToArray(), inPlace);
        }

        output.WriteLine($"{activation} gradient on {SimdInfo.Path}: max |difference| {max:E2}");
    }

    /// <summary>A vector lane and the scalar tail compute an element alike: its bits do not depend on where it sits.</summary>
    [Theory]
    [MemberData(nameof(WithGradient))]
    public void An_element_gives_the_same_bits_at_any_position_and_length(Activation activation)
    {
        var rng = new Random(5);
        float[] y = Numerics.Random(rng, 200);
        float[] dy = Numerics.Random(rng, 200, 3f);
        var whole = new float[y.Length];
        ActivationGradients.Backward(activation, y, dy, whole);
        for (int start = 0; start < 40; start++)
        {
            int n = y.Length - start - 3;
            var part = new float[n];
            ActivationGradients.Backward(activation, y.AsSpan(start, n), dy.AsSpan(start, n), part);
            Assert.Equal(whole.AsSpan(start, n).ToArray(), part);
        }
    }

    [Fact]
    public void Relu_passes_dy_only_where_the_output_is_positive()
    {
        float[] y = [0.25f, 0.5f, 0f, -0.5f, 0.9f];
        var dz = new float[y.Length];
        ActivationGradients.Backward(Activation.Relu, y, [2f, 2f, 2f, 2f, 2f], dz);
        Assert.Equal([2f, 2f, 0f, 0f, 2f], dz);
    }

    [Fact]
    public void Activations_without_an_element_wise_gradient_and_bad_lengths_are_refused()
    {
        var y = new float[5];
        Assert.Throws<ArgumentException>(() => ActivationGradients.Backward(Activation.Step, y, y, new float[5]));
        Assert.Throws<ArgumentException>(() => ActivationGradients.Backward(Activation.Softmax, y, y, new float[5]));
        Assert.Throws<ArgumentException>(() => ActivationGradients.Backward(Activation.Sigmoid, y, new float[4], new float[4]));
        Assert.Throws<ArgumentException>(() => ActivationGradients.Backward(Activation.Sigmoid, y, y, new float[4]));
    }
}
