using NnSimd.Kernels;
using NnSimd.Kernels.Reference;
using Xunit;

namespace NnSimd.Tests.Kernels;

public class SoftmaxTests
{
    [Fact]
    public void Book_example()
    {
        float[] y = new float[3];
        Softmax.Rows([0.3f, 2.9f, 4.0f], 3, y);
        Assert.Equal(0.01821127, y[0], 1e-7);
        Assert.Equal(0.24519181, y[1], 1e-7);
        Assert.Equal(0.73659691, y[2], 1e-7);
        Assert.Equal(1.0, y.Sum(v => (double)v), 1e-6);
    }

    [Fact]
    public void Large_inputs_do_not_overflow()
    {
        float[] big = new float[3];
        float[] small = new float[3];
        Softmax.Rows([1010f, 1000f, 990f], 3, big);
        Softmax.Rows([20f, 10f, 0f], 3, small);
        Assert.All(big, v => Assert.True(float.IsFinite(v)));
        Assert.Equal(small, big);
        Assert.Equal(0.99995460, big[0], 1e-7);
    }

    [Theory]
    [InlineData(new[] { 1f, float.PositiveInfinity, 3f, float.PositiveInfinity }, new[] { 0f, 0.5f, 0f, 0.5f })]
    [InlineData(new[] { float.NegativeInfinity, float.NegativeInfinity }, new[] { 0.5f, 0.5f })]
    [InlineData(new[] { float.NegativeInfinity, 2f, float.NegativeInfinity }, new[] { 0f, 1f, 0f })]
    public void Non_finite_rows_are_their_limits(float[] x, float[] expected)
    {
        var y = new float[x.Length];
        Softmax.Rows(x, x.Length, y);
        Assert.Equal(expected, y);
        Softmax.LogRows(x, x.Length, y);
        Assert.Equal(expected.Select(v => MathF.Log(v)).ToArray(), y);
    }

    [Fact]
    public void Extreme_finite_rows_stay_exact()
    {
        float[] x = [float.MaxValue, float.MaxValue, 0f];
        var y = new float[3];
        Softmax.Rows(x, 3, y);
        Assert.Equal([0.5f, 0.5f, 0f], y);
        Softmax.LogRows(x, 3, y);
        Assert.Equal([-MathF.Log(2f), -MathF.Log(2f), -float.MaxValue], y);
    }

    [Theory]
    [InlineData(new[] { 1f, float.NaN, 3f })]
    [InlineData(new[] { float.NaN, float.PositiveInfinity })]
    [InlineData(new[] { float.NegativeInfinity, float.NaN })]
    [InlineData(new[] { 1f, 2f, 3f, 4f, 5f, 6f, 7f, 8f, 9f, 10f, 11f, 12f, 13f, 14f, 15f, 16f, float.NaN })]
    public void A_NaN_makes_the_row_NaN(float[] x)
    {
        var y = new float[x.Length];
        Softmax.Rows(x, x.Length, y);
        Assert.All(y, v => Assert.True(float.IsNaN(v)));
        Softmax.LogRows(x, x.Length, y);
        Assert.All(y, v => Assert.True(float.IsNaN(v)));
    }

    [Fact]
    public void Rows_are_independent_and_in_place_works()
    {
        float[] x = Numerics.Random(new Random(1), 7 * 33, 20f);
        var y = new float[x.Length];
        Softmax.Rows(x, 33, y);
        for (int r = 0; r < 7; r++)
        {
            var row = new float[33];
            Softmax.Rows(x.AsSpan(r * 33, 33), 33, row);
            Assert.Equal(row, y.AsSpan(r * 33, 33).ToArray());
            double[] expected = SoftmaxReference.Row(x.AsSpan(r * 33, 33));
            for (int j = 0; j < 33; j++)
            {
                Assert.Equal(expected[j], row[j], 1e-6);
            }
        }

        Softmax.Rows(x, 33, x);
        Assert.Equal(y, x);
    }

    [Theory]
    [InlineData(10)]
    [InlineData(3)]
    [InlineData(1)]
    [InlineData(16)]
    public void Short_rows_read_past_the_row_safely_and_match_one_row_at_a_time(int cols)
    {
        float[] x = Numerics.Random(new Random(cols), 9 * cols, 30f);
        x[cols + 1 < x.Length ? cols + 1 : 0] = float.NaN; // a NaN in row 1 must not leak into row 0
        var y = new float[x.Length];
        Softmax.Rows(x, cols, y);
        for (int r = 0; r < 9; r++)
        {
            var row = new float[cols];
            Softmax.Rows(x.AsSpan(r * cols, cols), cols, row);
            Assert.Equal(row, y.AsSpan(r * cols, cols).ToArray());
        }

        Assert.All(y.AsSpan(0, cols).ToArray(), v => Assert.False(float.IsNaN(v)));
        Softmax.Rows(x, cols, x);
        Assert.Equal(y, x);
    }

    [Fact]
    public void Short_rows_write_only_their_own_columns()
    {
        // The last rows are loaded and stored masked (AVX-512) or through a stack copy: the poison on both sides of
        // the destination must survive, and each row must be what it is alone.
        var rng = new Random(11);
        for (int cols = 1; cols <= 16; cols++)
        {
            for (int rows = 1; rows <= 3; rows++)
            {
                float[] x = Numerics.Random(rng, rows * cols, 20f);
                float[] buffer = Enumerable.Repeat(-12345f, (rows * cols) + 32).ToArray();
                Span<float> y = buffer.AsSpan(16, rows * cols);
                Softmax.Rows(x, cols, y);
                Assert.All(buffer[..16], v => Assert.Equal(-12345f, v));
                Assert.All(buffer[(16 + (rows * cols))..], v => Assert.Equal(-12345f, v));
                for (int r = 0; r < rows; r++)
                {
                    var row = new float[cols];
                    Softmax.Rows(x.AsSpan(r * cols, cols), cols, row);
                    Assert.Equal(row, y.Slice(r * cols, cols).ToArray());
                    Assert.Equal(1.0, row.Sum(v => (double)v), 5);
                }
            }
        }
    }

    [Fact]
    public void Log_softmax_matches_the_reference_where_softmax_underflows()
    {
        float[] x = [0f, -200f, -50f, 3f];
        var y = new float[4];
        Softmax.LogRows(x, 4, y);
        double[] expected = SoftmaxReference.LogRow(x);
        for (int i = 0; i < 4; i++)
        {
            Assert.Equal(expected[i], y[i], 1e-5);
        }

        Assert.True(float.IsFinite(y[1])); // softmax gives 0 there; log-softmax does not take log(0)
    }

    [Fact]
    public void Argmax_takes_the_first_maximum_and_the_first_NaN()
    {
        Assert.Equal(1, Softmax.ArgMax([1f, 5f, 5f, 2f]));
        Assert.Equal(0, Softmax.ArgMax([float.NegativeInfinity, float.NegativeInfinity]));
        Assert.Equal(2, Softmax.ArgMax([1f, 5f, float.NaN, float.NaN]));
        var classes = new int[2];
        Softmax.ArgMaxRows([0f, 1f, 3f, 2f], 2, classes);
        Assert.Equal([1, 0], classes);
    }

    [Fact]
    public void Shape_errors_are_clear()
    {
        var e = Assert.Throws<ArgumentException>(() => Softmax.Rows(new float[10], 3, new float[10]));
        Assert.Contains("10 elements", e.Message);
        Assert.Throws<ArgumentException>(() => Softmax.ArgMaxRows(new float[6], 3, new int[3]));
    }
}
