using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using NnSimd.Internal;

namespace NnSimd.Kernels;

/// <summary>
/// Row-wise softmax, log-softmax and argmax over a row-major <c>[rows x cols]</c> buffer.
/// Overflow-safe: each row is shifted by its maximum first, so softmax([1010, 1000, 990]) equals
/// softmax([20, 10, 0]) and nothing overflows. Rows that are not finite, defined as the limits of finite rows:
/// <list type="bullet">
/// <item>a row with any NaN gives a row of NaN (bad input is never hidden);</item>
/// <item>a row whose maximum is +Inf shares the mass equally among its +Inf entries, the others get 0;</item>
/// <item>a row of all -Inf is uniform, 1 / cols, as any row of equal entries.</item>
/// </list>
/// So every row without NaN sums to 1 with entries in [0, 1]. The summation order within a row is fixed,
/// so a row's result does not depend on the other rows or on its position.
/// </summary>
public static partial class Softmax
{
    /// <summary>y[r, :] = softmax(x[r, :]) for each of the <c>x.Length / cols</c> rows. In place allowed.</summary>
    public static void Rows(ReadOnlySpan<float> x, int cols, Span<float> y) => RowsCore(x, cols, y, log: false);

    /// <summary>y[r, :] = log(softmax(x[r, :])) = x - max - log(sum(exp(x - max))): never takes log(0) of a finite row.</summary>
    public static void LogRows(ReadOnlySpan<float> x, int cols, Span<float> y) => RowsCore(x, cols, y, log: true);

    /// <summary>
    /// The index of each row's maximum, the first on ties; a row with NaN gives its first NaN's index
    /// (as NumPy's argmax does). <paramref name="classes"/> has one entry per row.
    /// </summary>
    public static void ArgMaxRows(ReadOnlySpan<float> x, int cols, Span<int> classes)
    {
        Guard.Positive(cols, nameof(cols));
        int rows = CheckRows(x, cols);
        if (classes.Length != rows)
        {
            Guard.ThrowArgument($"x has {rows} rows of {cols} but classes has {classes.Length} entries.", nameof(classes));
        }

        for (int r = 0; r < rows; r++)
        {
            classes[r] = ArgMax(x.Slice(r * cols, cols));
        }
    }

    /// <summary>The index of the maximum of <paramref name="x"/> (first on ties, first NaN if any).</summary>
    public static int ArgMax(ReadOnlySpan<float> x)
    {
        if (x.IsEmpty)
        {
            Guard.ThrowArgument("ArgMax of an empty row is undefined.", nameof(x));
        }

        int best = 0;
        float bestValue = x[0];
        if (float.IsNaN(bestValue))
        {
            return 0;
        }

        for (int i = 1; i < x.Length; i++)
        {
            float v = x[i];
            if (float.IsNaN(v))
            {
                return i;
            }

            if (v > bestValue)
            {
                bestValue = v;
                best = i;
            }
        }

        return best;
    }

    private static int CheckRows(ReadOnlySpan<float> x, int cols)
    {
        if (x.Length % cols != 0)
        {
            Guard.ThrowArgument($"x has {x.Length} elements, not a whole number of rows of {cols}.", nameof(x));
        }

        return x.Length / cols;
    }

    private static void RowsCore(ReadOnlySpan<float> x, int cols, Span<float> y, bool log)
    {
        Guard.Positive(cols, nameof(cols));
        Guard.SameLength(x, y, nameof(x), nameof(y));
        Guard.NoPartialOverlap(x, y, nameof(x), nameof(y));
        int rows = CheckRows(x, cols);
        if (!log && cols <= Simd.Lanes)
        {
            ShortRows(x, cols, y);
            return;
        }

        for (int r = 0; r < rows; r++)
        {
            Row(x.Slice(r * cols, cols), y.Slice(r * cols, cols), log);
        }
    }

    private static void ShortRows(ReadOnlySpan<float> x, int cols, Span<float> y)
    {
        var call = new ShortRowsCall(x, cols, y);
        VectorDispatch.Run(ref call);
    }

    private readonly ref struct ShortRowsCall(ReadOnlySpan<float> x, int cols, Span<float> y) : IVectorKernel
    {
        private readonly ReadOnlySpan<float> _x = x;
        private readonly Span<float> _y = y;

        public void Run<TSimd, TVec>()
            where TSimd : struct, ISimd<TVec>
            where TVec : struct => ShortRows<TSimd, TVec>(_x, cols, _y);
    }

    /// <summary>
    /// Rows that fit one vector (a classifier's 10 classes), each entirely in one register. Where a full vector
    /// can be read without leaving x it is loaded straight from x and the lanes past the row are masked off;
    /// the last rows take a masked load (a stack copy without AVX-512). Each row goes through
    /// <see cref="ShortRow"/>'s arithmetic and is stored masked to its columns (the same stack copy without
    /// AVX-512): at batch 1 the two copies cost the all-int8 book network 2-3% of its time on Zen 5.
    /// </summary>
    [SkipLocalsInit]
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void ShortRows<TSimd, TVec>(ReadOnlySpan<float> x, int cols, Span<float> y)
        where TSimd : struct, ISimd<TVec>
        where TVec : struct
    {
        Span<float> block = stackalloc float[16];
        ref float b = ref MemoryMarshal.GetReference(block);
        ref float xs = ref MemoryMarshal.GetReference(x);
        ref float ys = ref MemoryMarshal.GetReference(y);
        int rows = x.Length / cols;
        for (int r = 0; r < rows; r++)
        {
            int start = r * cols;
            TVec v = ShortRowVector<TSimd, TVec>(x, start, cols, ref b);
            if (!ShortRow<TSimd, TVec>(v, cols, out TVec values))
            {
                NonFiniteRow(x.Slice(start, cols), y.Slice(start, cols), TSimd.MaxAcross(v), log: false);
                continue;
            }

            TSimd.StoreFirst(values, ref Unsafe.Add(ref ys, start), cols, ref b);
        }
    }

    /// <summary>One row, x and y of equal length (same span allowed).</summary>
    internal static void Row(ReadOnlySpan<float> x, Span<float> y, bool log)
    {
        var call = new RowCall(x, y, log);
        VectorDispatch.Run(ref call);
    }

    private readonly ref struct RowCall(ReadOnlySpan<float> x, Span<float> y, bool log) : IVectorKernel
    {
        private readonly ReadOnlySpan<float> _x = x;
        private readonly Span<float> _y = y;

        public void Run<TSimd, TVec>()
            where TSimd : struct, ISimd<TVec>
            where TVec : struct => Row<TSimd, TVec>(_x, _y, log);
    }

    /// <summary>One row (see <see cref="Row(ReadOnlySpan{float}, Span{float}, bool)"/>); returns the sum of exp(x - max), or NaN for a row whose max is not finite.</summary>
    [SkipLocalsInit]
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static float Row<TSimd, TVec>(ReadOnlySpan<float> x, Span<float> y, bool log)
        where TSimd : struct, ISimd<TVec>
        where TVec : struct
    {
        float max = Max<TSimd, TVec>(x);
        if (float.IsInfinity(max) || float.IsNaN(max))
        {
            NonFiniteRow(x, y, max, log);
            return float.NaN;
        }

        // Pass 1: y = exp(x - max), sum in a fixed order (vector lanes, then across, then the padded tail).
        ref float xs = ref MemoryMarshal.GetReference(x);
        ref float ys = ref MemoryMarshal.GetReference(y);
        int n = x.Length;
        int w = TSimd.Count;
        TVec shift = TSimd.Broadcast(max);
        TVec acc = TSimd.Zero;
        int i = 0;
        for (; i <= n - w; i += w)
        {
            TVec e = TSimd.Apply<ExpOp>(TSimd.Subtract(TSimd.Load(ref Unsafe.Add(ref xs, i)), shift));
            acc = TSimd.Add(acc, e);
            if (!log)
            {
                TSimd.Store(e, ref Unsafe.Add(ref ys, i));
            }
        }

        float sum = TSimd.Sum(acc);
        if (i < n)
        {
            // The tail padded with max and its exp(0) lanes zeroed, adding nothing to the sum (padding with -Inf would
            // give the same bits through an underflow that costs a microcode assist on Intel; see ShortRowValues).
            Span<float> block = stackalloc float[16];
            block.Fill(max);
            x[i..].CopyTo(block);
            ref float b = ref MemoryMarshal.GetReference(block);
            TVec e = TSimd.KeepFirst(TSimd.Apply<ExpOp>(TSimd.Subtract(TSimd.Load(ref b), shift)), n - i, 0f);
            sum += TSimd.Sum(e);
            if (!log)
            {
                TSimd.Store(e, ref b);
                block[..(n - i)].CopyTo(y[i..]);
            }
        }

        // A NaN anywhere made the sum NaN, and NaN spreads to the whole row below: as documented.
        if (log)
        {
            // (x - max) - log(sum), not x - (max + log(sum)): with max near 3e38 the latter loses log(sum).
            float logSum = MathF.Log(sum);
            for (int j = 0; j < n; j++)
            {
                y[j] = (x[j] - max) - logSum;
            }
        }
        else
        {
            // Division, not multiplication by 1/sum: one rounding per entry instead of two.
            TVec s = TSimd.Broadcast(sum);
            i = 0;
            for (; i <= n - w; i += w)
            {
                TSimd.Store(TSimd.Divide(TSimd.Load(ref Unsafe.Add(ref ys, i)), s), ref Unsafe.Add(ref ys, i));
            }

            for (; i < n; i++)
            {
                y[i] /= sum;
            }
        }

        return sum;
    }

    /// <summary>
    /// The row of <paramref name="cols"/> values at <paramref name="start"/> in one vector, its lanes past the row -Inf:
    /// loaded straight from x where a whole vector stays inside it, else by <see cref="ISimd{TVec}.LoadFirst"/> (masked
    /// on AVX-512, else through <paramref name="block"/>, 16 floats).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static TVec ShortRowVector<TSimd, TVec>(ReadOnlySpan<float> x, int start, int cols, ref float block)
        where TSimd : struct, ISimd<TVec>
        where TVec : struct
    {
        ref float xs = ref MemoryMarshal.GetReference(x);
        if (start + TSimd.Count <= x.Length)
        {
            return TSimd.KeepFirst(TSimd.Load(ref Unsafe.Add(ref xs, start)), cols, float.NegativeInfinity);
        }

        return TSimd.KeepFirst(TSimd.LoadFirst(ref Unsafe.Add(ref xs, start), cols, ref block), cols, float.NegativeInfinity);
    }

    /// <summary>
    /// Softmax of one row held in a vector whose lanes past the row are -Inf: max across, exp(v - max), sum
    /// across, divide. Returns false when the max is not finite (the caller then takes the rare path).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static bool ShortRow<TSimd, TVec>(TVec v, int cols, out TVec result)
        where TSimd : struct, ISimd<TVec>
        where TVec : struct
    {
        float max = TSimd.MaxAcross(v);
        if (!float.IsFinite(max))
        {
            result = v;
            return false;
        }

        result = ShortRowValues<TSimd, TVec>(v, max, cols);
        return true;
    }

    /// <summary>
    /// exp(v - max) / sum over the first <paramref name="cols"/> lanes: the arithmetic of every one-vector row, fused
    /// or not, so both give the same bits. The lanes past the row are exponentiated as exp(0) and then zeroed, not as
    /// exp(-Inf): that underflows through subnormal intermediates, which Intel cores handle in a microcode assist of
    /// about a hundred cycles per vector (a row of 10 classes took 145 ns, and 27 ns this way, on an Emerald Rapids
    /// Xeon; the sum and the row are bitwise the same either way, the padding adding +0).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static TVec ShortRowValues<TSimd, TVec>(TVec v, float max, int cols)
        where TSimd : struct, ISimd<TVec>
        where TVec : struct
    {
        TVec e = ShortRowExp<TSimd, TVec>(v, max, cols);
        return TSimd.Divide(e, TSimd.Broadcast(TSimd.Sum(e)));
    }

    /// <summary>exp(v - max) over the first <paramref name="cols"/> lanes, the others 0 (see <see cref="ShortRowValues"/>).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static TVec ShortRowExp<TSimd, TVec>(TVec v, float max, int cols)
        where TSimd : struct, ISimd<TVec>
        where TVec : struct =>
        TSimd.KeepFirst(TSimd.Apply<ExpOp>(TSimd.KeepFirst(TSimd.Subtract(v, TSimd.Broadcast(max)), cols, 0f)), cols, 0f);

    /// <summary>
    /// Softmax of a row of <paramref name="cols"/> logits held in a register (a GEMM tile's epilogue), bitwise as
    /// <see cref="Rows"/> would compute it from memory. A row whose maximum is not finite is returned unchanged
    /// with bit <paramref name="bit"/> set in <paramref name="deferred"/>: the caller stores it and then runs
    /// <see cref="Row(ReadOnlySpan{float}, Span{float}, bool)"/> on it for the rare path.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static TVec InRegister<TSimd, TVec>(TVec logits, int cols, ref int deferred, int bit)
        where TSimd : struct, ISimd<TVec>
        where TVec : struct
    {
        TVec v = TSimd.KeepFirst(logits, cols, float.NegativeInfinity);
        float max = TSimd.MaxAcross(v);
        if (!float.IsFinite(max))
        {
            deferred |= 1 << bit;
            return logits;
        }

        return ShortRowValues<TSimd, TVec>(v, max, cols);
    }

    /// <summary>Softmax in place of the rows flagged in <paramref name="deferred"/> (bit r: row r, <paramref name="stride"/> apart).</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    internal static void DeferredRows(ref float first, int stride, int cols, int deferred)
    {
        for (int r = 0; deferred != 0; r++, deferred >>= 1)
        {
            if ((deferred & 1) != 0)
            {
                Span<float> row = MemoryMarshal.CreateSpan(ref Unsafe.Add(ref first, r * stride), cols);
                Row(row, row, log: false);
            }
        }
    }

    private static float Max<TSimd, TVec>(ReadOnlySpan<float> x)
        where TSimd : struct, ISimd<TVec>
        where TVec : struct
    {
        ref float xs = ref MemoryMarshal.GetReference(x);
        int n = x.Length;
        int w = TSimd.Count;
        float max = float.NegativeInfinity;
        int i = 0;
        if (n >= w)
        {
            TVec m = TSimd.Load(ref xs);
            for (i = w; i <= n - w; i += w)
            {
                m = TSimd.Max(m, TSimd.Load(ref Unsafe.Add(ref xs, i)));
            }

            max = TSimd.MaxAcross(m);
        }

        for (; i < n; i++)
        {
            max = MathF.Max(max, x[i]);
        }

        return max;
    }

    /// <summary>The rare rows: max is NaN, +Inf or -Inf. Plain loops; the definitions are in the class summary.</summary>
    private static void NonFiniteRow(ReadOnlySpan<float> x, Span<float> y, float max, bool log)
    {
        int n = x.Length;
        if (float.IsNaN(max) || HasNaN(x))
        {
            y.Fill(float.NaN);
            return;
        }

        if (float.IsPositiveInfinity(max))
        {
            int count = x.Count(float.PositiveInfinity);
            float share = 1f / count;
            float logShare = -MathF.Log(count);
            for (int j = 0; j < n; j++)
            {
                bool inf = float.IsPositiveInfinity(x[j]);
                y[j] = log ? (inf ? logShare : float.NegativeInfinity) : (inf ? share : 0f);
            }

            return;
        }

        // Every entry is -Inf.
        y.Fill(log ? -MathF.Log(n) : 1f / n);
    }

    private static bool HasNaN(ReadOnlySpan<float> x)
    {
        foreach (float v in x)
        {
            if (float.IsNaN(v))
            {
                return true;
            }
        }

        return false;
    }
}
