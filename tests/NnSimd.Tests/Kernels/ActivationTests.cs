using NnSimd.Kernels;
using NnSimd.Kernels.Reference;
using Xunit;
using Xunit.Abstractions;

namespace NnSimd.Tests.Kernels;

public class ActivationTests(ITestOutputHelper output)
{
    public static TheoryData<Activation> ElementWise => new()
    {
        Activation.Identity, Activation.Step, Activation.Sigmoid, Activation.Relu, Activation.Tanh,
    };

    /// <summary>
    /// The stated bounds, in float32 ulps of the float64 reference, checked over a dense sweep (see
    /// <see cref="ErrorIsWithinTheStatedBound"/>; measured on every path: sigmoid 2.47, tanh 2.30; exp 1.17 in <see cref="ExpTests"/>).
    /// exp is within 2 ulp; sigmoid adds two roundings (1 + e, then 1 / that); tanh's large branch adds
    /// three, and its cancellation 1 - q is worst just above |x| = 0.3, where the result is smallest.
    /// </summary>
    private static double MaxUlps(Activation activation) => activation switch
    {
        Activation.Sigmoid => 3,
        Activation.Tanh => 3,
        _ => 0,
    };

    [Fact]
    public void Book_grid_matches_the_float64_reference()
    {
        // The book's plots: -5.0, -4.9, ..., 4.9.
        float[] x = Enumerable.Range(-50, 100).Select(i => (float)(i / 10.0)).ToArray();
        var y = new float[x.Length];
        foreach (Activation a in new[] { Activation.Step, Activation.Sigmoid, Activation.Relu, Activation.Tanh })
        {
            Activations.Apply(a, x, y);
            for (int i = 0; i < x.Length; i++)
            {
                double expected = ActivationsReference.Apply(a, x[i]);
                Assert.True(Numerics.UlpError(y[i], expected) <= MaxUlps(a), $"{a}({x[i]}) = {y[i]}, expected {expected}");
            }
        }

        Activations.Step(x, y);
        Assert.Equal(0f, y[50]); // step(0) = 0
        Assert.Equal(1f, y[51]);
    }

    [Fact]
    public void Edges_are_defined()
    {
        float[] x = [-1000f, 1000f, float.NaN, 0f, -0f, float.NegativeInfinity, float.PositiveInfinity, -88.8f, 88.8f];
        var y = new float[x.Length];

        Activations.Sigmoid(x, y);
        Assert.Equal([0f, 1f], y[..2]);
        Assert.True(float.IsNaN(y[2]));
        Assert.Equal(0.5f, y[3]);
        Assert.Equal([0f, 1f], y[5..7]);
        Assert.All(y.Where(v => !float.IsNaN(v)), v => Assert.InRange(v, 0f, 1f));

        Activations.Tanh(x, y);
        Assert.Equal([-1f, 1f], y[..2]);
        Assert.True(float.IsNaN(y[2]));
        Assert.Equal([-1f, 1f], y[5..7]);

        Activations.Step(x, y);
        Assert.Equal([0f, 1f], y[..2]);
        Assert.True(float.IsNaN(y[2]));
        Assert.Equal([0f, 0f, 0f, 1f], y[3..7]);

        Activations.Relu(x, y);
        Assert.Equal([0f, 1000f], y[..2]);
        Assert.True(float.IsNaN(y[2]));
        Assert.Equal([0f, 0f, 0f, float.PositiveInfinity], y[3..7]);
    }

    [Theory]
    [MemberData(nameof(ElementWise))]
    public void ErrorIsWithinTheStatedBound(Activation activation)
    {
        // Dense over [-20, 20] plus the small-argument region where tanh's two formulas meet.
        var xs = new List<float>();
        for (int i = -200_000; i <= 200_000; i++)
        {
            xs.Add(i / 10_000f);
        }

        for (float v = 1e-7f; v < 1f; v *= 1.001f)
        {
            xs.Add(v);
            xs.Add(-v);
        }

        float[] x = xs.ToArray();
        var y = new float[x.Length];
        Activations.Apply(activation, x, y);
        double worst = 0;
        float worstAt = 0;
        for (int i = 0; i < x.Length; i++)
        {
            double e = Numerics.UlpError(y[i], ActivationsReference.Apply(activation, x[i]));
            if (e > worst)
            {
                worst = e;
                worstAt = x[i];
            }
        }

        output.WriteLine($"{activation} on {SimdInfo.Path}: max error {worst:F2} ulp at x = {worstAt}");
        Assert.True(worst <= MaxUlps(activation), $"{activation}: {worst} ulp at x = {worstAt}");
    }

    [Theory]
    [MemberData(nameof(ElementWise))]
    public void Every_length_in_and_out_of_place_leaves_the_rest_untouched(Activation activation)
    {
        var rng = new Random(7);
        for (int n = 0; n <= 256; n++)
        {
            float[] x = Numerics.Random(rng, n, 6f);
            float[] expected = x.Select(v => (float)ActivationsReference.Apply(activation, v)).ToArray();

            // Out of place, with poison on both sides of the destination.
            float[] buffer = Enumerable.Repeat(-12345f, n + 32).ToArray();
            Activations.Apply(activation, x, buffer.AsSpan(16, n));
            Assert.All(buffer[..16], v => Assert.Equal(-12345f, v));
            Assert.All(buffer[(16 + n)..], v => Assert.Equal(-12345f, v));
            float[] outOfPlace = buffer[16..(16 + n)];

            // In place gives the very same bits.
            float[] inPlace = (float[])x.Clone();
            Activations.InPlace(activation, inPlace);
            Assert.Equal(outOfPlace, inPlace);

            for (int i = 0; i < n; i++)
            {
                Assert.True(Numerics.UlpError(outOfPlace[i], expected[i]) <= MaxUlps(activation) + 1, $"n={n} i={i}");
            }
        }
    }

    [Fact]
    public void An_element_gives_the_same_bits_at_any_position_and_length()
    {
        float[] x = Numerics.Random(new Random(3), 300, 8f);
        var whole = new float[x.Length];
        Activations.Tanh(x, whole);
        for (int start = 0; start < 40; start++)
        {
            int n = x.Length - start - 3;
            var part = new float[n];
            Activations.Tanh(x.AsSpan(start, n), part);
            Assert.Equal(whole.AsSpan(start, n).ToArray(), part);
        }
    }

    [Fact]
    public void Bad_arguments_are_refused()
    {
        var x = new float[10];
        Assert.Throws<ArgumentException>(() => Activations.Sigmoid(x, new float[9]));
        Assert.Throws<ArgumentException>(() => Activations.Sigmoid(x.AsSpan(0, 8), x.AsSpan(1, 8)));
        Assert.Throws<ArgumentException>(() => Activations.Apply(Activation.Softmax, x, x));
    }
}
