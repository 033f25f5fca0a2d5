using NnSimd.Kernels;
using NnSimd.Kernels.Reference;
using Xunit;
using Xunit.Abstractions;

namespace NnSimd.Tests.Kernels;

public class GemmTests(ITestOutputHelper output)
{
    /// <summary>
    /// The error bound of a float32 dot product of length k summed in order, with or without FMA:
    /// |computed - exact| &lt;= k u sum |a_p b_p| (Higham, Accuracy and Stability, 3.1), plus the rounding of the
    /// bias add and of the activation (its own bound is at most 6 ulp, and every activation here has
    /// |f'| &lt;= 1, so it does not amplify the sum's error).
    /// </summary>
    internal static double Tolerance(int k, double magnitude, double expected) =>
        (k + 2) * Numerics.U * magnitude + 8 * Numerics.Ulp(expected) + 1e-37;

    public static TheoryData<int, int, int> Shapes()
    {
        var data = new TheoryData<int, int, int>();
        int[] sizes = [1, 3, 10, 17, 50, 100];
        foreach (int m in sizes)
        {
            foreach (int n in sizes)
            {
                data.Add(m, 784, n);
            }
        }

        // Around the depth block (GemmBlocking.DepthBlock = 1024), where a tile's sum continues through C.
        foreach (int k in new[] { 1, 2, 3, 10, 50, 100, 255, 256, 257, 1023, 1024, 1025, 2100 })
        {
            data.Add(9, k, 33);
            data.Add(1, k, 50);
        }

        data.Add(100, 50, 100);
        data.Add(100, 100, 10);
        data.Add(200, 100, 10);
        return data;
    }

    [Theory]
    [MemberData(nameof(Shapes))]
    public void Matches_the_float64_reference(int m, int k, int n)
    {
        var rng = new Random(m * 1000 + k * 10 + n);
        float[] a = Numerics.Random(rng, m * k);
        float[] b = Numerics.Random(rng, k * n);
        float[] bias = Numerics.Random(rng, n);
        foreach (Activation act in Enum.GetValues<Activation>())
        {
            if (act == Activation.Step)
            {
                continue; // discontinuous at 0: tested against the fused/unfused identity below
            }

            var c = new float[m * n];
            Gemm.Multiply(a, m, k, PackedMatrix.Pack(b, k, n), bias, act, c);
            double[] expected = GemmReference.Multiply(a, m, k, b, n, bias, act, out double[] magnitude);
            double worst = 0;
            for (int i = 0; i < c.Length; i++)
            {
                double err = Math.Abs(c[i] - expected[i]);
                double tol = act == Activation.Softmax ? 1e-6 + k * Numerics.U * magnitude[i] : Tolerance(k, magnitude[i], expected[i]);
                Assert.True(err <= tol, $"{m}x{k}.{k}x{n} {act}: c[{i / n},{i % n}] = {c[i]}, expected {expected[i]} (error {err:E2} > {tol:E2})");
                worst = Math.Max(worst, err);
            }

            if (act == Activation.Identity && m == 100)
            {
                output.WriteLine($"{m}x{k}.{k}x{n}: max |error| {worst:E2} on {SimdInfo.Path}");
            }
        }
    }

    [Theory]
    [MemberData(nameof(Shapes))]
    public void Fused_equals_unfused_bitwise(int m, int k, int n)
    {
        var rng = new Random(k);
        float[] a = Numerics.Random(rng, m * k);
        float[] b = Numerics.Random(rng, k * n);
        float[] bias = Numerics.Random(rng, n);
        PackedMatrix packed = PackedMatrix.Pack(b, k, n);
        var plain = new float[m * n];
        Gemm.Multiply(a, m, k, packed, bias, Activation.Identity, plain);
        foreach (Activation act in Enum.GetValues<Activation>())
        {
            var fused = new float[m * n];
            Gemm.Multiply(a, m, k, packed, bias, act, fused);
            var unfused = new float[m * n];
            if (act == Activation.Softmax)
            {
                Softmax.Rows(plain, n, unfused);
            }
            else
            {
                Activations.Apply(act, plain, unfused);
            }

            Assert.Equal(unfused, fused);
        }
    }

    /// <summary>
    /// Rows that fit one register are softmaxed inside the GEMM; rows whose maximum is not finite (+Inf logits,
    /// NaN, all -Inf) take the deferred path, and every row must equal the unfused two-pass result bitwise.
    /// </summary>
    [Theory]
    [InlineData(4)]
    [InlineData(8)]
    [InlineData(13)]
    [InlineData(21)]
    public void Fused_softmax_handles_non_finite_rows_like_the_two_pass_softmax(int m)
    {
        const int k = 6, n = 10;
        var rng = new Random(m);
        float[] a = Numerics.Random(rng, m * k);
        float[] b = Numerics.Random(rng, k * n);
        float[] bias = Numerics.Random(rng, n);
        for (int r = 0; r < m; r += 3)
        {
            a[r * k + (r % k)] = (r / 3 % 4) switch { 0 => float.PositiveInfinity, 1 => float.NaN, 2 => float.NegativeInfinity, _ => 1e30f };
        }

        PackedMatrix packed = PackedMatrix.Pack(b, k, n);
        var plain = new float[m * n];
        Gemm.Multiply(a, m, k, packed, bias, Activation.Identity, plain);
        var unfused = new float[m * n];
        Softmax.Rows(plain, n, unfused);
        var fused = new float[m * n];
        Gemm.Multiply(a, m, k, packed, bias, Activation.Softmax, fused);
        Assert.Equal(unfused, fused);
        Assert.Contains(fused, float.IsNaN); // some row really took the deferred path
    }

    [Fact]
    public void Shapes_follow_the_rules()
    {
        // (3x2).(2x4) gives 3x4.
        float[] a = [1, 2, 3, 4, 5, 6];
        float[] b = [1, 0, 0, 1, 0, 1, 1, 0];
        var c = new float[12];
        Gemm.Multiply(a, 3, 2, b, 4, c);
        Assert.Equal([1f, 2f, 2f, 1f, 3f, 4f, 4f, 3f, 5f, 6f, 6f, 5f], c);

        // (3x2).(3x4) is an error naming both shapes.
        var e = Assert.Throws<ArgumentException>(() => Gemm.Multiply(a, 3, 2, new float[12], 4, new float[12]));
        Assert.Contains("(3x2).(3x4)", e.Message);

        PackedMatrix p = PackedMatrix.Pack(b, 2, 4);
        Assert.Throws<ArgumentException>(() => Gemm.Multiply(a, 3, 2, p, [], Activation.Identity, new float[11]));
        Assert.Throws<ArgumentException>(() => Gemm.Multiply(a, 3, 2, p, [1f, 2f], Activation.Identity, new float[12]));
        Assert.Throws<ArgumentException>(() => Gemm.Multiply(a, 2, 3, p, [], Activation.Identity, new float[8]));
        Assert.Throws<ArgumentException>(() => PackedMatrix.Pack(new float[7], 2, 4));
    }

    [Fact]
    public void C_is_written_never_read_and_nothing_past_it_is_touched()
    {
        var rng = new Random(5);
        const int m = 13, k = 1300, n = 21;
        float[] a = Numerics.Random(rng, m * k);
        float[] b = Numerics.Random(rng, k * n);
        PackedMatrix packed = PackedMatrix.Pack(b, k, n);
        var clean = new float[m * n];
        Gemm.Multiply(a, m, k, packed, [], Activation.Identity, clean);

        float[] dirty = Enumerable.Repeat(float.NaN, m * n + 40).ToArray();
        dirty.AsSpan(m * n + 20).Fill(777f);
        Gemm.Multiply(a, m, k, packed, [], Activation.Identity, dirty.AsSpan(20, m * n));
        Assert.Equal(clean, dirty.AsSpan(20, m * n).ToArray());
        Assert.All(dirty[..20], v => Assert.True(float.IsNaN(v)));
        Assert.All(dirty[(m * n + 20)..], v => Assert.Equal(777f, v));
    }

    [Theory]
    [InlineData(37, 19)]
    [InlineData(784, 50)] // 2 tail columns on 16 lanes
    [InlineData(784, 1)] // no panel at all, one tail column
    [InlineData(100, 10)]
    [InlineData(50, 100)]
    [InlineData(8, 16)] // the transposed pack's 8 x 8 blocks exactly
    [InlineData(13, 48)] // blocks of 8 steps of k, then 5 steps one value at a time
    [InlineData(7, 33)] // no whole block of 8 steps; a partial panel
    public void Pack_round_trips(int rows, int columns)
    {
        float[] b = Numerics.Random(new Random(2), rows * columns);
        var back = new float[b.Length];
        PackedMatrix.Pack(b, rows, columns).CopyTo(back);
        Assert.Equal(b, back);

        // Training packs from the transpose: the same matrix must come back.
        var transposed = new float[b.Length];
        for (int r = 0; r < rows; r++)
        {
            for (int c = 0; c < columns; c++)
            {
                transposed[c * rows + r] = b[r * columns + c];
            }
        }

        Array.Clear(back);
        PackedMatrix.PackTransposed(transposed, columns, rows).CopyTo(back);
        Assert.Equal(b, back);
    }

    [Theory]
    [InlineData(784, 2, 16, true)] // 784-50 on Vector512: 2 columns as dots (114 FMA-equivalents) beat a padded panel (784)
    [InlineData(50, 4, 16, false)] // 50-100: 4 dots cost 52, the panel 50
    [InlineData(100, 10, 16, false)] // 100-10: 10 dots cost 180, the panel 100
    [InlineData(100, 2, 8, true)] // 100-10 on Vector256: 8 + 2
    [InlineData(784, 0, 16, false)]
    [InlineData(784, 0, 1, false)]
    public void Left_over_columns_become_dot_products_only_when_cheaper(int depth, int rest, int lanes, bool expected) =>
        Assert.Equal(expected, PackedMatrix.UsesTail(depth, rest, lanes));

    [Fact]
    public void A_row_gives_the_same_bits_alone_or_anywhere_in_a_batch()
    {
        var rng = new Random(11);
        const int m = 37, k = 784, n = 50;
        float[] a = Numerics.Random(rng, m * k);
        PackedMatrix packed = PackedMatrix.Pack(Numerics.Random(rng, k * n), k, n);
        float[] bias = Numerics.Random(rng, n);
        var all = new float[m * n];
        Gemm.Multiply(a, m, k, packed, bias, Activation.Sigmoid, all);
        for (int i = 0; i < m; i++)
        {
            var one = new float[n];
            Gemm.Multiply(a.AsSpan(i * k, k), 1, k, packed, bias, Activation.Sigmoid, one);
            Assert.Equal(all.AsSpan(i * n, n).ToArray(), one);
        }
    }
}
