using NnSimd.Kernels;
using NnSimd.Kernels.Reference;
using Xunit;
using Xunit.Abstractions;

namespace NnSimd.Tests.Kernels;

public class GemmBackwardTests(ITestOutputHelper output)
{
    /// <summary>
    /// An element of dw or db is a float32 sum of m terms taken in row order, one rounding per step with or without
    /// FMA, so |error| &lt;= gamma_m sum |term| with gamma_m = m u / (1 - m u) (Higham, Accuracy and Stability, 3.1),
    /// and gamma_m &lt;= (m + 1) u while m &lt;= 4095. A product or sum that lands among the subnormals is off by at
    /// most half their spacing instead, float.Epsilon / 2 per step.
    /// </summary>
    private static double Bound(int m, double magnitude) => (m + 1) * Numerics.U * magnitude + m * (double)float.Epsilon;

    [Theory]
    [InlineData(1, 1, 1)]
    [InlineData(3, 10, 17)]
    [InlineData(100, 784, 50)]
    [InlineData(100, 50, 100)]
    [InlineData(7, 3, 10)]
    [InlineData(100, 100, 10)]
    public void Weight_gradient_matches_the_float64_reference(int m, int k, int n)
    {
        var rng = new Random(m + k + n);
        float[] x = Numerics.Random(rng, m * k);
        float[] dz = Numerics.Random(rng, m * n);
        var dw = new float[k * n];
        GemmBackward.TransposeMultiply(x, m, k, dz, n, dw);
        double[] expected = GemmBackwardReference.TransposeMultiply(x, m, k, dz, n, out double[] magnitude);
        double max = Numerics.AssertWithin($"dw ({m}x{k})^T.({m}x{n})", dw, expected, i => Bound(m, magnitude[i]));
        output.WriteLine($"dw ({m}x{k})^T.({m}x{n}) on {SimdInfo.Path}: max |difference| {max:E2}");

        // Any split of the rows of dw gives the same bits (what threads rely on).
        var split = new float[k * n];
        GemmBackward.TransposeMultiply(x, m, k, dz, n, split, 0, k / 3);
        GemmBackward.TransposeMultiply(x, m, k, dz, n, split, k / 3, k);
        Assert.Equal(dw, split);
    }

    /// <summary>
    /// Every column count 1..70 and 94..100 (the narrow tile's two column vectors of 4, 8 or 16 lanes and their
    /// partial tails; the wide tile's three whole vectors, once and twice, and the columns right of them) by row
    /// counts of dw 1..9, 16, 17 and 23 (the narrow tile's blocks of four rows and the rest; the wide tile's blocks
    /// of eight and the rows below them): dw is written, never read (it starts as NaN, as pooled memory may be),
    /// nothing outside the rows asked for changes, and nothing past dw at all.
    /// </summary>
    [Fact]
    public void Every_tail_of_columns_and_rows_matches_the_reference_and_writes_only_its_rows()
    {
        var rng = new Random(70);
        int[] columns = [.. Enumerable.Range(1, 70), .. Enumerable.Range(94, 7)];
        foreach (int m in (int[])[1, 3, 8])
        {
            foreach (int k in (int[])[1, 2, 3, 4, 5, 6, 7, 8, 9, 16, 17, 23])
            {
                foreach (int n in columns)
                {
                    float[] x = Numerics.Random(rng, m * k);
                    float[] dz = Numerics.Random(rng, m * n);
                    double[] expected = GemmBackwardReference.TransposeMultiply(x, m, k, dz, n, out double[] magnitude);

                    float[] buffer = Poison.Around(k * n);
                    Span<float> dw = Poison.Inside(buffer);
                    GemmBackward.TransposeMultiply(x, m, k, dz, n, dw);
                    Poison.AssertUntouched(buffer);
                    Numerics.AssertWithin($"dw ({m}x{k})^T.({m}x{n})", dw, expected, i => Bound(m, magnitude[i]));
                    float[] whole = dw.ToArray();

                    // Rows 1..k-1 only: row 0 keeps its NaN, the rest get the whole call's bits.
                    dw.Fill(float.NaN);
                    GemmBackward.TransposeMultiply(x, m, k, dz, n, dw, 1, k);
                    Poison.AssertUntouched(buffer);
                    Assert.All(dw[..n].ToArray(), v => Assert.True(float.IsNaN(v)));
                    Assert.Equal(whole[n..], dw[n..].ToArray());
                }
            }
        }
    }

    /// <summary>Every column count 1..70 and a few row counts, 0 included (db is then all zeros); db starts as NaN.</summary>
    [Fact]
    public void Column_sums_match_the_reference_at_every_length_and_write_nothing_past_db()
    {
        var rng = new Random(71);
        foreach (int m in (int[])[0, 1, 2, 5, 100])
        {
            for (int n = 1; n <= 70; n++)
            {
                float[] dz = Numerics.Random(rng, m * n);
                double[] expected = GemmBackwardReference.ColumnSums(dz, m, n, out double[] magnitude);
                float[] buffer = Poison.Around(n);
                Span<float> db = Poison.Inside(buffer);
                GemmBackward.ColumnSums(dz, m, n, db);
                Poison.AssertUntouched(buffer);
                Numerics.AssertWithin($"db of {m}x{n}", db, expected, i => Bound(m, magnitude[i]));
            }
        }

        // Exact integers add exactly: the shape of the result at a glance.
        var sums = new float[3];
        GemmBackward.ColumnSums([1, 2, 3, 4, 5, 6], 2, 3, sums);
        Assert.Equal([5f, 7f, 9f], sums);
    }

    [Fact]
    public void Bad_shapes_are_refused()
    {
        var x = new float[6];
        Assert.Throws<ArgumentException>(() => GemmBackward.TransposeMultiply(x, 2, 3, new float[4], 2, new float[5]));
        Assert.Throws<ArgumentException>(() => GemmBackward.TransposeMultiply(x, 2, 3, new float[4], 2, new float[6], 2, 1));
        Assert.Throws<ArgumentException>(() => GemmBackward.ColumnSums(x, 2, 3, new float[2]));
    }
}
