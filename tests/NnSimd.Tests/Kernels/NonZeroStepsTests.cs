using NnSimd.Kernels;
using Xunit;

namespace NnSimd.Tests.Kernels;

public class NonZeroStepsTests
{
    /// <summary>Rows like MNIST's: mostly zeros (some of them -0), the rest positive, a NaN now and then.</summary>
    private static float[] SparseRows(Random rng, int length, double zeros)
    {
        var a = new float[length];
        for (int i = 0; i < length; i++)
        {
            double u = rng.NextDouble();
            a[i] = u < zeros / 2 ? 0f : u < zeros ? -0f : u > 0.995 ? float.NaN : (float)rng.NextDouble();
        }

        return a;
    }

    [Theory]
    [InlineData(1, 0)]
    [InlineData(1, 15)]
    [InlineData(1, 64)]
    [InlineData(1, 65)]
    [InlineData(1, 200)]
    [InlineData(1, 784)]
    [InlineData(3, 100)]
    [InlineData(8, 784)]
    [InlineData(8, 1024)]
    public void Sparse_rows_list_every_step_where_one_is_not_zero_in_order(int rows, int length)
    {
        var rng = new Random(length + rows);
        int lda = length + 3;
        float[] a = SparseRows(rng, rows * lda, 0.9);
        var buffer = new int[NonZeroSteps.BufferLength];
        Steps found = NonZeroSteps.Find(ref a.AsSpan().GetPinnableReference(), lda, rows, length, ref buffer[0]);

        var expected = new List<int>();
        for (int p = 0; p < length; p++)
        {
            bool any = false;
            for (int r = 0; r < rows; r++)
            {
                float v = a[(r * lda) + p];
                any |= float.IsNaN(v) || v != 0f;
            }

            if (any)
            {
                expected.Add(p);
            }
        }

        Assert.Equal(expected, Listed(found));
    }

    [Fact]
    public void Rows_dense_from_the_start_take_every_step()
    {
        var rng = new Random(5);
        float[] a = Numerics.Random(rng, 300);
        a[100] = 0f; // a zero after the first 64 steps is not looked for
        var buffer = new int[NonZeroSteps.BufferLength];
        Steps found = NonZeroSteps.Find(ref a[0], 300, 1, 300, ref buffer[0]);
        Assert.Equal(Enumerable.Range(0, 300), Listed(found));
    }

    [Theory]
    [InlineData(784, 50)]
    [InlineData(1100, 33)] // two depth blocks: the second continues the sums in C
    [InlineData(100, 10)]
    public void Rows_with_zeros_give_the_same_bits_alone_or_anywhere_in_a_batch(int k, int n)
    {
        var rng = new Random(k);
        const int m = 37;
        float[] a = SparseRows(rng, m * k, 0.8);
        NoNaN(a, 0.5f);
        PackedMatrix packed = PackedMatrix.Pack(Numerics.Random(rng, k * n), k, n);
        float[] bias = Numerics.Random(rng, n);
        foreach (Activation activation in new[] { Activation.Identity, Activation.Sigmoid, Activation.Softmax })
        {
            var all = new float[m * n];
            Gemm.Multiply(a, m, k, packed, bias, activation, all);
            for (int i = 0; i < m; i++)
            {
                var one = new float[n];
                Gemm.Multiply(a.AsSpan(i * k, k), 1, k, packed, bias, activation, one);
                Assert.Equal(all.AsSpan(i * n, n).ToArray(), one);
            }
        }
    }

    /// <summary>
    /// The same products with skipping and without: a copy of B with one more column holding an infinite weight (at a
    /// step where no row is zero, so only that column is affected) skips nothing, and every panel column must come
    /// out with the same bits: a panel column's result is its own FMA chain over k, whichever panel it sits in. (The
    /// tail columns, dot products over every step, are compared only where both layouts have them: one more column
    /// can turn a few tail columns into a padded panel, 4 lanes wide, which sums in another order.)
    /// </summary>
    [Theory]
    [InlineData(37, 784, 50)]
    [InlineData(1, 784, 50)]
    [InlineData(100, 784, 16)]
    [InlineData(13, 1100, 33)] // two depth blocks
    [InlineData(9, 200, 7)]
    public void Skipping_zero_steps_changes_no_bit(int m, int k, int n)
    {
        var rng = new Random(m + k + n);
        float[] a = SparseRows(rng, m * k, 0.8);
        NoNaN(a, 0.75f);
        const int dense = 5;
        for (int i = 0; i < m; i++)
        {
            a[(i * k) + dense] = 1f; // no row is zero here
        }

        float[] w = Numerics.Random(rng, k * n);
        var wide = new float[k * (n + 1)];
        for (int p = 0; p < k; p++)
        {
            w.AsSpan(p * n, n).CopyTo(wide.AsSpan(p * (n + 1), n));
        }

        wide[(dense * (n + 1)) + n] = float.PositiveInfinity;
        PackedMatrix skipping = PackedMatrix.Pack(w, k, n);
        PackedMatrix whole = PackedMatrix.Pack(wide, k, n + 1);
        Assert.True(skipping.IsFinite);
        Assert.False(whole.IsFinite);
        float[] bias = Numerics.Random(rng, n + 1);
        foreach (Activation activation in new[] { Activation.Identity, Activation.Sigmoid, Activation.Relu })
        {
            var c = new float[m * n];
            var cWide = new float[m * (n + 1)];
            Gemm.Multiply(a, m, k, skipping, bias.AsSpan(0, n), activation, c);
            Gemm.Multiply(a, m, k, whole, bias, activation, cWide);
            int same = whole.TailColumns > 0 ? n : skipping.PanelColumns;
            for (int i = 0; i < m; i++)
            {
                Assert.Equal(cWide.AsSpan(i * (n + 1), same).ToArray(), c.AsSpan(i * n, same).ToArray());
            }
        }
    }

    [Fact]
    public void An_infinite_weight_meets_a_zero_input_as_NaN_and_skips_nothing()
    {
        const int k = 200, n = 20;
        var rng = new Random(9);
        float[] w = Numerics.Random(rng, k * n);
        float[] a = SparseRows(rng, k, 0.9);
        NoNaN(a, 0.25f);
        a[150] = 0f;
        w[(150 * n) + 3] = float.PositiveInfinity; // 0 x Inf = NaN in column 3
        PackedMatrix packed = PackedMatrix.Pack(w, k, n);
        Assert.False(packed.IsFinite);
        var c = new float[n];
        Gemm.Multiply(a, 1, k, packed, [], Activation.Identity, c);
        Assert.True(float.IsNaN(c[3]));
        Assert.All(c.Where((_, j) => j != 3), v => Assert.True(float.IsFinite(v)));

        // Repacked with finite weights, the matrix skips zeros again, and column 3 is finite.
        w[(150 * n) + 3] = 1f;
        packed.Repack(w, transposed: false);
        Assert.True(packed.IsFinite);
        Gemm.Multiply(a, 1, k, packed, [], Activation.Identity, c);
        Assert.All(c, v => Assert.True(float.IsFinite(v)));
    }

    private static void NoNaN(float[] a, float instead)
    {
        for (int i = 0; i < a.Length; i++)
        {
            a[i] = float.IsNaN(a[i]) ? instead : a[i];
        }
    }

    private static List<int> Listed(Steps steps)
    {
        var list = new List<int>();
        for (int s = 0; s < steps.Count; s++)
        {
            list.Add(System.Runtime.CompilerServices.Unsafe.Add(ref steps.First, s));
        }

        return list;
    }
}
