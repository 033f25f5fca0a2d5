using NnSimd.Kernels;
using NnSimd.Kernels.Reference;
using Xunit;

namespace NnSimd.Tests.Kernels;

/// <summary>
/// The int8 GEMM against <see cref="Int8GemmReference"/>, for every dot-product strategy this CPU can run (not only
/// the one the process picked, so VNNI, the exact VPMADDWD fallback and the scalar loop are all checked here; CI's
/// SIMD knobs check the automatic choice). The integer sums are exact, so the comparison is bitwise.
/// </summary>
public class Int8GemmTests
{
    // By name: the strategies are internal, and a public test method cannot take an internal type.
    public static TheoryData<string> Strategies()
    {
        var data = new TheoryData<string>();
        foreach (Int8Strategy s in Enum.GetValues<Int8Strategy>().Where(Int8Gemm.IsSupported))
        {
            data.Add(s.ToString());
        }

        return data;
    }

    private static readonly (int M, int K, int N)[] Shapes =
    [
        (1, 1, 1), (1, 784, 50), (4, 784, 50), (100, 784, 50), (100, 50, 100), (100, 100, 10), (7, 3, 17),
        (5, 5, 33), (9, 2, 16), (13, 6, 8), (3, 257, 31), (6, 4, 1),
    ];

    [Theory]
    [MemberData(nameof(Strategies))]
    public void Scaled_sums_are_bitwise_the_reference_at_every_shape(string name)
    {
        Int8Strategy strategy = Enum.Parse<Int8Strategy>(name);
        foreach ((int m, int k, int n) in Shapes)
        {
            var rng = new Random((m * 7919) + (k * 31) + n);
            (byte[] a, float[] w, float[] bias, float[] rowScales) = Operands(rng, m, k, n);
            QuantizedMatrix q = QuantizedMatrix.Quantize(w, k, n, strategy);
            long[] sums = Int8GemmReference.Sums(a, m, k, q.Weights, n);
            foreach (bool withBias in new[] { true, false })
            {
                ReadOnlySpan<float> b = withBias ? bias : [];
                float[] expected = Int8GemmReference.Scaled(sums, m, n, rowScales, q.Scales, b);
                var c = new float[m * n];
                Int8Gemm.Multiply(a, m, k, rowScales, q, b, Activation.Identity, c);
                AssertBitwise(expected, c, $"{strategy} {m}x{k}.{k}x{n} bias={withBias}");
            }
        }
    }

    [Theory]
    [MemberData(nameof(Strategies))]
    public void Each_activation_is_the_element_wise_one_applied_to_the_scaled_sums(string name)
    {
        Int8Strategy strategy = Enum.Parse<Int8Strategy>(name);
        foreach ((int m, int k, int n) in new[] { (100, 784, 50), (37, 50, 100), (100, 100, 10), (3, 100, 40) })
        {
            var rng = new Random(m + k + n);
            (byte[] a, float[] w, float[] bias, _) = Operands(rng, m, k, n);
            float[] rowScale = [1f / 255];
            QuantizedMatrix q = QuantizedMatrix.Quantize(w, k, n, strategy);
            float[] scaled = Int8GemmReference.Scaled(Int8GemmReference.Sums(a, m, k, q.Weights, n), m, n, rowScale, q.Scales, bias);
            foreach (Activation act in Enum.GetValues<Activation>())
            {
                var expected = new float[m * n];
                if (act == Activation.Softmax)
                {
                    Softmax.Rows(scaled, n, expected);
                }
                else
                {
                    Activations.Apply(act, scaled, expected);
                }

                var c = new float[m * n];
                Int8Gemm.Multiply(a, m, k, rowScale, q, bias, act, c);
                AssertMatches(strategy, act, q, expected, c, $"{m}x{k}.{k}x{n}");
            }
        }
    }

    [Theory]
    [MemberData(nameof(Strategies))]
    public void A_row_is_the_same_alone_or_in_any_batch(string name)
    {
        Int8Strategy strategy = Enum.Parse<Int8Strategy>(name);
        var rng = new Random(5);
        const int m = 23, k = 50, n = 100;
        (byte[] a, float[] w, float[] bias, float[] rowScales) = Operands(rng, m, k, n);
        QuantizedMatrix q = QuantizedMatrix.Quantize(w, k, n, strategy);
        var all = new float[m * n];
        Int8Gemm.Multiply(a, m, k, rowScales, q, bias, Activation.Sigmoid, all);
        for (int i = 0; i < m; i++)
        {
            var one = new float[n];
            Int8Gemm.Multiply(a.AsSpan(i * k, k), 1, k, rowScales.AsSpan(i, 1), q, bias, Activation.Sigmoid, one);
            AssertBitwise(all.AsSpan(i * n, n).ToArray(), one, $"{strategy} row {i}");
        }
    }

    [Fact]
    public void Quantization_is_within_half_a_step_per_weight_and_keeps_zeros()
    {
        var rng = new Random(11);
        const int k = 300, n = 7;
        float[] w = Numerics.Random(rng, k * n);
        for (int i = 0; i < k; i += 5)
        {
            w[i * n] = 0f;
        }

        Array.Clear(w, 3, 1); // one zero in column 3
        QuantizedMatrix q = QuantizedMatrix.Quantize(w, k, n);
        for (int i = 0; i < k * n; i++)
        {
            int j = i % n;
            double back = q.Weights[i] * (double)q.Scales[j];
            // Half a step from rounding, plus the float32 rounding of the scale itself (127 steps of u relative).
            Assert.True(Math.Abs(back - w[i]) <= (0.5 * q.Scales[j]) + (127 * Numerics.U * q.Scales[j] * 2), $"w[{i}] = {w[i]}, back {back}");
            Assert.InRange(q.Weights[i], (sbyte)-127, (sbyte)127);
            if (w[i] == 0)
            {
                Assert.Equal(0, q.Weights[i]);
            }
        }
    }

    [Fact]
    public void The_int8_product_approximates_the_float_one_within_the_quantization_bound()
    {
        var rng = new Random(3);
        const int m = 20, k = 784, n = 50;
        (byte[] a, float[] w, _, _) = Operands(rng, m, k, n);
        QuantizedMatrix q = QuantizedMatrix.Quantize(w, k, n);
        var c = new float[m * n];
        Int8Gemm.Multiply(a, m, k, [1f / 255], q, [], Activation.Identity, c);
        double[] exact = Int8GemmReference.Dequantized(a, m, k, 1f / 255, w, n);
        for (int i = 0; i < m; i++)
        {
            for (int j = 0; j < n; j++)
            {
                // Each weight is off by at most half its column's step; each input is at most 1.
                double bound = (k * 0.5 * q.Scales[j]) + (1e-5 * Math.Abs(exact[(i * n) + j])) + 1e-6;
                Assert.True(Math.Abs(c[(i * n) + j] - exact[(i * n) + j]) <= bound, $"c[{i},{j}] = {c[(i * n) + j]}, float product {exact[(i * n) + j]}");
            }
        }
    }

    [Fact]
    public void Bad_shapes_and_weights_are_refused_with_their_sizes()
    {
        QuantizedMatrix q = QuantizedMatrix.Quantize(new float[6], 3, 2);
        var e = Assert.Throws<ArgumentException>(() => Int8Gemm.Multiply(new byte[8], 2, 4, [1f], q, [], Activation.Identity, new float[4]));
        Assert.Contains("(2x4).(3x2)", e.Message);
        e = Assert.Throws<ArgumentException>(() => Int8Gemm.Multiply(new byte[6], 2, 3, [1f, 1f, 1f], q, [], Activation.Identity, new float[4]));
        Assert.Contains("rowScales has 3 entries", e.Message);
        e = Assert.Throws<ArgumentException>(() => QuantizedMatrix.Quantize([1f, float.NaN], 1, 2));
        Assert.Contains("b[0, 1] is NaN", e.Message);
        e = Assert.Throws<ArgumentException>(() => QuantizedMatrix.FromInt8([-128, 0], [1f, 1f], 1, 2));
        Assert.Contains("-128", e.Message);
    }

    // Every kernel path: the 6-row tile, the 4-row tile after it, the rows left for the row kernel (m % 6 = 1..5);
    // the row kernel on 8, 4, 2 and 1 panels (15 panels of 8 columns at n = 120, 15 columns for the scalar strategy);
    // k % 4 = 1..3 (the tile's zero-padded last group) and k % 32 != 0 (the row kernel's last iteration, 8 steps of 4);
    // n not a multiple of 8; next strips shorter than the tile calls that share their prefetching.
    private static readonly (int M, int K, int N)[] PathShapes =
    [
        (1, 1, 120), (1, 33, 15), (1, 63, 7), (1, 785, 50), (2, 31, 120), (3, 5, 64), (5, 6, 9), (6, 7, 16), (7, 97, 15),
        (9, 2, 120), (10, 4, 3), (11, 35, 17), (12, 3, 1), (13, 129, 57), (17, 1, 8),
        (10, 129, 57), (4, 784, 2), (7, 200, 19), // VNNI's tail columns: after 7 panels, alone, three of them
        (7, 1, 40), (13, 1, 40), // a next strip of 1 or 6 bytes shared among a strip's 3 tile calls, for prefetching
    ];

    [Theory]
    [MemberData(nameof(Strategies))]
    public void Every_tile_row_kernel_and_tail_gives_the_reference_bits(string name)
    {
        Int8Strategy strategy = Enum.Parse<Int8Strategy>(name);
        foreach ((int m, int k, int n) in PathShapes)
        {
            var rng = new Random((m * 131) + (k * 17) + n);
            (byte[] a, float[] w, float[] bias, float[] rowScales) = Operands(rng, m, k, n);
            for (int i = 0; i < a.Length; i += 7)
            {
                a[i] = 255; // many largest products, in the tails too
            }

            QuantizedMatrix q = QuantizedMatrix.Quantize(w, k, n, strategy);
            float[] expected = Int8GemmReference.Scaled(Int8GemmReference.Sums(a, m, k, q.Weights, n), m, n, rowScales, q.Scales, bias);
            // Poisoned past the end: a kernel must write each element of c once and nothing beyond it.
            var c = new float[(m * n) + 8];
            c.AsSpan().Fill(float.NaN);
            Int8Gemm.Multiply(a, m, k, rowScales, q, bias, Activation.Identity, c.AsSpan(0, m * n));
            AssertBitwise(expected, c.AsSpan(0, m * n), $"{strategy} {m}x{k}.{k}x{n}");
            Assert.All(c[(m * n)..], v => Assert.True(float.IsNaN(v), $"{strategy} {m}x{k}.{k}x{n}: written past c"));
        }
    }

    /// <summary>
    /// Rows like MNIST's pixels, mostly zero, which the VNNI kernels take only at the groups of 4 bytes where a row of
    /// the tile (or the single row) is not zero (NonZeroSteps): 6- and 4-row tiles, the row kernel on 8, 4, 2 and 1
    /// panels with lists that end inside an iteration, depths at and past the 128 bytes where kernels start to look, a
    /// tile dense at its start (every group taken), odd lengths whose last group is partial. The sums are integers,
    /// so the bits must be the reference's.
    /// </summary>
    [Theory]
    [MemberData(nameof(Strategies))]
    public void Rows_of_mostly_zeros_give_the_reference_bits(string name)
    {
        Int8Strategy strategy = Enum.Parse<Int8Strategy>(name);
        foreach ((int m, int k, int n) in new[] { (1, 784, 50), (1, 785, 120), (5, 300, 57), (7, 128, 16), (13, 129, 64), (17, 784, 50), (100, 784, 50), (3, 4096, 8) })
        {
            var rng = new Random((m * 31) + k + n);
            (byte[] a, float[] w, float[] bias, float[] rowScales) = Operands(rng, m, k, n);
            for (int i = 0; i < a.Length; i++)
            {
                bool digit = i % k is int p && p > k / 4 && p < 3 * k / 4 && rng.NextDouble() < 0.4;
                a[i] = digit ? a[i] : (byte)0;
            }

            if (m > 2)
            {
                a.AsSpan(k, 64 * 4).Fill(9); // row 1 dense from its start: its tile takes every group
            }

            QuantizedMatrix q = QuantizedMatrix.Quantize(w, k, n, strategy);
            float[] expected = Int8GemmReference.Scaled(Int8GemmReference.Sums(a, m, k, q.Weights, n), m, n, rowScales, q.Scales, bias);
            var c = new float[m * n];
            Int8Gemm.Multiply(a, m, k, rowScales, q, bias, Activation.Identity, c);
            AssertBitwise(expected, c, $"{strategy} {m}x{k}.{k}x{n}");
        }
    }

    [Theory]
    [MemberData(nameof(Strategies))]
    public void Every_activation_is_the_same_on_every_kernel_path(string name)
    {
        Int8Strategy strategy = Enum.Parse<Int8Strategy>(name);
        // n = 7: softmax in registers (the tile's rows together, and the row kernel); n = 21: softmax after the GEMM.
        // With VNNI, 200 x 18, 129 x 9 and 784 x 2 have tail columns (2, 1 and 2): softmax after the GEMM too.
        foreach ((int m, int k, int n) in new[] { (11, 35, 7), (13, 50, 21), (1, 785, 7), (5, 3, 120), (13, 200, 18), (10, 129, 9), (4, 784, 2) })
        {
            var rng = new Random((m * 3) + k + n);
            (byte[] a, float[] w, float[] bias, float[] rowScales) = Operands(rng, m, k, n);
            QuantizedMatrix q = QuantizedMatrix.Quantize(w, k, n, strategy);
            float[] scaled = Int8GemmReference.Scaled(Int8GemmReference.Sums(a, m, k, q.Weights, n), m, n, rowScales, q.Scales, bias);
            foreach (Activation act in Enum.GetValues<Activation>())
            {
                var c = new float[m * n];
                Int8Gemm.Multiply(a, m, k, rowScales, q, bias, act, c);
                AssertActivation(strategy, act, q, scaled, c, $"{m}x{k}.{k}x{n}");
                for (int i = 0; i < m; i++)
                {
                    var one = new float[n];
                    Int8Gemm.Multiply(a.AsSpan(i * k, k), 1, k, rowScales.AsSpan(i, 1), q, bias, act, one);
                    AssertBitwise(c.AsSpan(i * n, n).ToArray(), one, $"{strategy} {act} {m}x{k}.{k}x{n}: row {i} alone");
                }
            }
        }
    }

    [Theory]
    [InlineData(784, 2, true)] // 784-50: 2 columns as dots (2 x (25 + 6) = 62) beat a padded panel (200 steps)
    [InlineData(785, 2, true)]
    [InlineData(50, 4, false)] // 50-100: 4 dots cost 32, the panel 16
    [InlineData(100, 2, true)] // 100-10: 2 dots cost 20, the panel 32
    [InlineData(97, 7, false)]
    [InlineData(784, 0, false)]
    public void Left_over_columns_become_dot_products_only_when_cheaper(int depth, int rest, bool expected) =>
        Assert.Equal(expected, QuantizedMatrix.UsesTail(depth, rest));

    [Fact]
    public void Only_the_vnni_strategy_packs_tail_columns()
    {
        float[] w = Numerics.Random(new Random(4), 784 * 50);
        foreach (Int8Strategy strategy in Enum.GetValues<Int8Strategy>().Where(Int8Gemm.IsSupported))
        {
            QuantizedMatrix q = QuantizedMatrix.Quantize(w, 784, 50, strategy);
            Assert.Equal(strategy == Int8Strategy.Vnni256 ? 2 : 0, q.TailColumns);
        }
    }

    [Theory]
    [MemberData(nameof(Strategies))]
    public void A_softmax_row_with_an_infinite_logit_takes_the_deferred_path_on_every_kernel(string name)
    {
        // 5 columns: one panel; 10 and 16: two panels, one 512-bit vector per row on AVX-512. 11 rows: a tile of 6,
        // one of 4 and the row kernel.
        Int8Strategy strategy = Enum.Parse<Int8Strategy>(name);
        foreach (int n in new[] { 5, 10, 16 })
        {
            const int m = 11, k = 9;
            (byte[] a, float[] w, float[] bias, float[] rowScales) = Operands(new Random(9 + n), m, k, n);
            bias[2] = float.PositiveInfinity;
            QuantizedMatrix q = QuantizedMatrix.Quantize(w, k, n, strategy);
            var c = new float[m * n];
            Int8Gemm.Multiply(a, m, k, rowScales, q, bias, Activation.Softmax, c);
            AssertBitwise(SoftmaxOfScaledSums(a, m, k, rowScales, q, bias), c, $"{strategy} softmax over {n} with +inf");
        }
    }

    [Theory]
    [MemberData(nameof(Strategies))]
    public void A_softmax_row_over_two_panels_is_the_same_alone_or_in_any_batch(string name)
    {
        Int8Strategy strategy = Enum.Parse<Int8Strategy>(name);
        foreach (int n in new[] { 9, 10, 16 })
        {
            const int m = 13, k = 100;
            (byte[] a, float[] w, float[] bias, float[] rowScales) = Operands(new Random(n), m, k, n);
            QuantizedMatrix q = QuantizedMatrix.Quantize(w, k, n, strategy);
            Assert.Equal(0, q.TailColumns);
            var all = new float[m * n];
            Int8Gemm.Multiply(a, m, k, rowScales, q, bias, Activation.Softmax, all);
            AssertBitwise(SoftmaxOfScaledSums(a, m, k, rowScales, q, bias), all, $"{strategy} softmax over {n}");
            for (int i = 0; i < m; i++)
            {
                var one = new float[n];
                Int8Gemm.Multiply(a.AsSpan(i * k, k), 1, k, rowScales.AsSpan(i, 1), q, bias, Activation.Softmax, one);
                AssertBitwise(all.AsSpan(i * n, n).ToArray(), one, $"{strategy} softmax over {n}: row {i} alone");
            }
        }
    }

    /// <summary>The reference's scaled sums, softmaxed row by row from memory.</summary>
    private static float[] SoftmaxOfScaledSums(byte[] a, int m, int k, float[] rowScales, QuantizedMatrix q, float[] bias)
    {
        int n = q.Columns;
        float[] scaled = Int8GemmReference.Scaled(Int8GemmReference.Sums(a, m, k, q.Weights, n), m, n, rowScales, q.Scales, bias);
        var expected = new float[m * n];
        Softmax.Rows(scaled, n, expected);
        return expected;
    }

    private static void AssertActivation(Int8Strategy strategy, Activation act, QuantizedMatrix q, float[] scaled, float[] c, string shape)
    {
        var expected = new float[scaled.Length];
        if (act == Activation.Softmax)
        {
            Softmax.Rows(scaled, q.Columns, expected);
        }
        else
        {
            Activations.Apply(act, scaled, expected);
        }

        AssertMatches(strategy, act, q, expected, c, shape);
    }

    /// <summary>
    /// Bitwise, except a softmax finished in the tile's registers (a row in one panel) at another width than this
    /// process's: sigmoid and tanh run over c at the process's width after the tile, identity, ReLU and step do no
    /// rounding, and a longer softmax runs after the tile too.
    /// </summary>
    private static void AssertMatches(Int8Strategy strategy, Activation act, QuantizedMatrix q, float[] expected, float[] c, string shape)
    {
        SimdPath epilogueWidth = strategy == Int8Strategy.Scalar ? SimdPath.Scalar : SimdPath.Vector256;
        bool inRegisterSoftmax = act == Activation.Softmax && q.Columns <= q.Layout.Lanes && q.TailColumns == 0;
        if (!inRegisterSoftmax || epilogueWidth == SimdInfo.Path)
        {
            AssertBitwise(expected, c, $"{strategy} {act} {shape}");
            return;
        }

        // Another width's softmax may round differently (its exp fused or not): each is within 6 ulp of the true
        // value (ActivationTests), so within 12 of each other.
        for (int i = 0; i < c.Length; i++)
        {
            Assert.True(Numerics.UlpError(c[i], expected[i]) <= 12, $"{strategy} {act} {shape}: c[{i}] = {c[i]}, expected {expected[i]}");
        }
    }

    private static (byte[] A, float[] W, float[] Bias, float[] RowScales) Operands(Random rng, int m, int k, int n)
    {
        var a = new byte[m * k];
        rng.NextBytes(a);
        a[0] = 255; // the largest products, 255 x 127, must not saturate anywhere
        float[] w = Numerics.Random(rng, k * n);
        w[0] = 3f; // so column 0 quantizes its largest weight to 127
        float[] bias = Numerics.Random(rng, n);
        float[] rowScales = Enumerable.Range(0, m).Select(_ => (float)(rng.NextDouble() * 0.01) + 1e-4f).ToArray();
        return (a, w, bias, rowScales);
    }

    private static void AssertBitwise(float[] expected, ReadOnlySpan<float> actual, string what)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++)
        {
            if (BitConverter.SingleToInt32Bits(expected[i]) != BitConverter.SingleToInt32Bits(actual[i]))
            {
                Assert.Fail($"{what}: element {i} is {actual[i]}, expected {expected[i]} (bitwise)");
            }
        }
    }
}
