using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using NnSimd.Internal;

namespace NnSimd.Kernels;

/// <summary>
/// The tail columns of a <see cref="QuantizedMatrix"/> (see <see cref="QuantizedMatrix.UsesTail"/>): the few columns
/// left after the whole panels of 8, each stored contiguously over k, as dot products with k in the lanes: one
/// VPDPBUSD takes 32 bytes of a row of A against 32 weights of a column. 784 x 50 leaves 2 columns, which as a padded
/// panel cost as much as 8 (a seventh panel for 4% of the columns: 15% of the layer's time at batch 100 on Zen 5).
/// The sums are the same exact integers the panels would give, and they are finished with the same float operations
/// (<see cref="Int8Finish"/>'s), so the results are bitwise those of the panel path. AVX-VNNI only: the other
/// strategies pack every column in panels.
/// </summary>
internal static class Int8DotColumns
{
    /// <summary>Bytes of k per step: one 256-bit vector of a row of A.</summary>
    public const int Chunk = 32;

    /// <summary>
    /// Rows [0, TRows) of A (stride k) times every tail column of <paramref name="b"/>, into c (stride Ldc) from column
    /// <see cref="QuantizedMatrix.PanelColumns"/>, then each row's tail finished as one partial vector: the same
    /// epilogue code as every other column. An element-wise epilogue only: a row-wise one needs the row in one panel.
    /// <paramref name="available"/>: the bytes of A readable from <paramref name="a"/> on (to the end of A).
    /// </summary>
    [SkipLocalsInit]
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Rows<TEpi, TRows>(ref byte a, int available, QuantizedMatrix b, ref float c, ref float rowScale, int rowScaleStep, Int8TileArgs t)
        where TEpi : IEpilogue
        where TRows : IRowCount
    {
        Debug.Assert(b.TailColumns is > 0 and < 8 && default(TEpi) is not IRowWiseEpilogue, "a few tail columns, an element-wise epilogue");
        int k = t.Depth;
        int n = t.Ldc;
        int t0 = b.PanelColumns;
        int tails = b.TailColumns;
        for (int j = 0; j < tails; j += 2)
        {
            if (j + 1 < tails)
            {
                Dots<TRows, Panels2>(ref a, k, available, ref b.Tail(j), ref b.Tail(j + 1), ref Unsafe.Add(ref c, t0 + j), n, ref t.Tail);
            }
            else
            {
                Dots<TRows, Panels1>(ref a, k, available, ref b.Tail(j), ref b.Tail(j), ref Unsafe.Add(ref c, t0 + j), n, ref t.Tail);
            }
        }

        // c holds float(sum) for each tail column (the conversion the panels' finish makes, rounding alike); now
        // the scales, bias and activation, by the panels' own finish.
        ref float scratch = ref t.Scratch;
        Vector256<float> colScale = Simd256.LoadFirst(ref Unsafe.Add(ref t.ColScales, t0), tails, ref scratch);
        Vector256<float> bias = t.HasBias ? Simd256.LoadFirst(ref Unsafe.Add(ref t.Bias, t0), tails, ref scratch) : Vector256<float>.Zero;
        int deferred = 0;
        for (int r = 0; r < TRows.Count; r++)
        {
            ref float row = ref Unsafe.Add(ref c, (r * n) + t0);
            Vector256<float> sums = Simd256.LoadFirst(ref row, tails, ref scratch);
            Vector256<float> value = Int8Finish.Scaled<Simd256, Vector256<float>, TEpi>(
                sums, Unsafe.Add(ref rowScale, r * rowScaleStep), colScale, bias, tails, ref deferred, 0);
            Simd256.StoreFirst(value, ref row, tails, ref scratch);
        }

        Debug.Assert(deferred == 0, "an element-wise epilogue defers nothing");
    }

    /// <summary>
    /// TRows rows of A dotted with TCols (1 or 2) tail columns w0, w1, written as float(sum) to c (stride
    /// <paramref name="ldc"/>): 2 x 6 accumulators, the 2 columns' weights and a row of A are 15 of the 16 registers
    /// VEX-encoded VPDPBUSD can name. The last k % 32 bytes of each row take one more whole chunk, whose bytes past
    /// the row (the next row's, where A goes on; a zero-padded copy where it ends) meet the columns' zero padding,
    /// so they add nothing.
    /// </summary>
    [SkipLocalsInit]
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Dots<TRows, TCols>(ref byte a, int k, int available, ref byte w0, ref byte w1, ref float c, int ldc, ref byte tail)
        where TRows : IRowCount
        where TCols : IRowCount
    {
        Debug.Assert(TRows.Count is 1 or 4 or 6 && TCols.Count is 1 or 2, "1, 4 or 6 rows by 1 or 2 columns");
        Vector256<int> s00 = default, s01 = default, s10 = default, s11 = default, s20 = default, s21 = default;
        Vector256<int> s30 = default, s31 = default, s40 = default, s41 = default, s50 = default, s51 = default;
        int whole = k - (k % Chunk);
        ref byte rows = ref a;
        nint lda = k;
        int end = whole;
        int q = 0;
        for (int pass = 0; pass < 2; pass++)
        {
            for (; q < end; q += Chunk)
            {
                Vector256<sbyte> v0 = Vector256.LoadUnsafe(ref Unsafe.Add(ref w0, q)).AsSByte();
                Vector256<sbyte> v1 = TCols.Count > 1 ? Vector256.LoadUnsafe(ref Unsafe.Add(ref w1, q)).AsSByte() : v0;
                ref byte x = ref Unsafe.Add(ref rows, q - (pass * whole));
                Vector256<byte> r0 = Vector256.LoadUnsafe(ref x);
                s00 = AvxVnni.MultiplyWideningAndAdd(s00, r0, v0);
                if (TCols.Count > 1) { s01 = AvxVnni.MultiplyWideningAndAdd(s01, r0, v1); }
                if (TRows.Count > 1)
                {
                    Vector256<byte> r1 = Vector256.LoadUnsafe(ref Unsafe.Add(ref x, lda));
                    s10 = AvxVnni.MultiplyWideningAndAdd(s10, r1, v0);
                    if (TCols.Count > 1) { s11 = AvxVnni.MultiplyWideningAndAdd(s11, r1, v1); }
                    Vector256<byte> r2 = Vector256.LoadUnsafe(ref Unsafe.Add(ref x, 2 * lda));
                    s20 = AvxVnni.MultiplyWideningAndAdd(s20, r2, v0);
                    if (TCols.Count > 1) { s21 = AvxVnni.MultiplyWideningAndAdd(s21, r2, v1); }
                    Vector256<byte> r3 = Vector256.LoadUnsafe(ref Unsafe.Add(ref x, 3 * lda));
                    s30 = AvxVnni.MultiplyWideningAndAdd(s30, r3, v0);
                    if (TCols.Count > 1) { s31 = AvxVnni.MultiplyWideningAndAdd(s31, r3, v1); }
                }

                if (TRows.Count > 4)
                {
                    Vector256<byte> r4 = Vector256.LoadUnsafe(ref Unsafe.Add(ref x, 4 * lda));
                    s40 = AvxVnni.MultiplyWideningAndAdd(s40, r4, v0);
                    if (TCols.Count > 1) { s41 = AvxVnni.MultiplyWideningAndAdd(s41, r4, v1); }
                    Vector256<byte> r5 = Vector256.LoadUnsafe(ref Unsafe.Add(ref x, 5 * lda));
                    s50 = AvxVnni.MultiplyWideningAndAdd(s50, r5, v0);
                    if (TCols.Count > 1) { s51 = AvxVnni.MultiplyWideningAndAdd(s51, r5, v1); }
                }
            }

            if (pass == 1 || whole == k)
            {
                break;
            }

            // The rows' last chunk: read in place if its last row's chunk ends inside A, else the rows' last bytes,
            // zero-padded, 32 apart in the tail buffer.
            if (((TRows.Count - 1) * k) + whole + Chunk <= available)
            {
                rows = ref Unsafe.Add(ref a, whole);
            }
            else
            {
                Int8Tail.Copy(ref a, k, whole, TRows.Count, Chunk, ref tail);
                rows = ref tail;
                lda = Int8Tail.Stride;
            }

            end = whole + Chunk;
        }

        Store<TCols>(s00, s01, ref c);
        if (TRows.Count > 1)
        {
            Store<TCols>(s10, s11, ref Unsafe.Add(ref c, ldc));
            Store<TCols>(s20, s21, ref Unsafe.Add(ref c, 2 * ldc));
            Store<TCols>(s30, s31, ref Unsafe.Add(ref c, 3 * ldc));
        }

        if (TRows.Count > 4)
        {
            Store<TCols>(s40, s41, ref Unsafe.Add(ref c, 4 * ldc));
            Store<TCols>(s50, s51, ref Unsafe.Add(ref c, 5 * ldc));
        }
    }

    /// <summary>Each accumulator's 8 lanes summed (exact integers), converted to float as the panels' finish converts.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Store<TCols>(Vector256<int> sum0, Vector256<int> sum1, ref float c)
        where TCols : IRowCount
    {
        c = Vector256.Sum(sum0);
        if (TCols.Count > 1)
        {
            Unsafe.Add(ref c, 1) = Vector256.Sum(sum1);
        }
    }
}
