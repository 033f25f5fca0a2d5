using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using NnSimd.Internal;

namespace NnSimd.Kernels;

/// <summary>
/// The tail columns of B (see <see cref="PackedMatrix.UsesTail"/>): the few columns left after the whole panels,
/// each stored contiguously over k. A skinny product (784 x 2 against 16 lanes) is cheaper as dot products with k in
/// the lanes than as a padded panel; this is the small-shape path BLIS recommends beside the packed one.
/// </summary>
internal static class TailKernel
{
    // a: rows [i0, end) of [m, k], tail columns of b: [tails][k] (stride TailStride), c: [m, n] columns [n - tails, n).
    /// <summary>
    /// The tail columns of B (see <see cref="PackedMatrix.UsesTail"/>) for rows [i0, end), over the whole depth:
    /// dot products with k in the lanes, then bias and activation over each row's tail as one partial vector (the
    /// same vector code as every other column, so fused and unfused results stay bitwise equal).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Run<TSimd, TVec, TEpi>(ref float a0, int i0, int end, int k, PackedMatrix b, ReadOnlySpan<float> bias, ref float c0, ref float scratch)
        where TSimd : struct, ISimd<TVec>
        where TVec : struct
        where TEpi : IEpilogue
    {
        Debug.Assert(b.TailColumns is > 0 and < 16 && k == b.Rows && end > i0, "tail columns are fewer than a panel");
        int n = b.Columns;
        int t0 = b.PanelColumns;
        int tails = b.TailColumns;
        bool hasBias = !bias.IsEmpty;
        for (int t = 0; t < tails; t += 2)
        {
            ref float w0 = ref b.Tail(t);
            ref float c = ref Unsafe.Add(ref c0, t0 + t);
            int i = i0;

            // With 16 lanes (AVX-512) the tile finishes its sums itself, 8 rows x 2 columns as one vector (Packed): the
            // bias of lane 2 row + column.
            TVec pairBias = TSimd.Zero;
            if (TSimd.Count == 16 && hasBias)
            {
                float x = bias[t0 + t], y = t + 1 < tails ? bias[t0 + t + 1] : 0f;
                Vector512<float> pattern = Vector512.Create(x, y, x, y, x, y, x, y, x, y, x, y, x, y, x, y);
                pairBias = Unsafe.As<Vector512<float>, TVec>(ref pattern);
            }

            if (t + 1 < tails)
            {
                ref float w1 = ref b.Tail(t + 1);
                if (TSimd.Registers >= 32) // 8 rows x 2 columns: 16 accumulators and their loads; with 16 registers they would spill
                {
                    for (; i + 8 <= end; i += 8)
                    {
                        DotTile<TSimd, TVec, TEpi, Rows8, Panels2>(ref Unsafe.Add(ref a0, i * k), k, ref w0, ref w1, ref Unsafe.Add(ref c, i * n), n, pairBias);
                    }
                }

                for (; i + 4 <= end; i += 4)
                {
                    DotTile<TSimd, TVec, TEpi, Rows4, Panels2>(ref Unsafe.Add(ref a0, i * k), k, ref w0, ref w1, ref Unsafe.Add(ref c, i * n), n, pairBias);
                }

                for (; i < end; i++)
                {
                    DotTile<TSimd, TVec, TEpi, Rows1, Panels2>(ref Unsafe.Add(ref a0, i * k), k, ref w0, ref w1, ref Unsafe.Add(ref c, i * n), n, pairBias);
                }
            }
            else
            {
                for (; i + 4 <= end; i += 4)
                {
                    DotTile<TSimd, TVec, TEpi, Rows4, Panels1>(ref Unsafe.Add(ref a0, i * k), k, ref w0, ref w0, ref Unsafe.Add(ref c, i * n), n, pairBias);
                }

                for (; i < end; i++)
                {
                    DotTile<TSimd, TVec, TEpi, Rows1, Panels1>(ref Unsafe.Add(ref a0, i * k), k, ref w0, ref w0, ref Unsafe.Add(ref c, i * n), n, pairBias);
                }
            }
        }

        if (TSimd.Count == 16 || (bias.IsEmpty && TEpi.IsIdentity))
        {
            return;
        }

        TVec tailBias = bias.IsEmpty ? TSimd.Zero : TSimd.LoadFirst(ref Unsafe.AsRef(in bias[t0]), tails, ref scratch);
        int deferred = 0;
        for (int i = i0; i < end; i++)
        {
            ref float row = ref Unsafe.Add(ref c0, (i * n) + t0);
            TVec v = TEpi.Apply<TSimd, TVec>(TSimd.LoadFirst(ref row, tails, ref scratch), tailBias, tails, ref deferred, 0);
            TSimd.StoreFirst(v, ref row, tails, ref scratch);
        }

        // Only element-wise epilogues reach here: a row-wise one needs each row in one panel, so no tail columns.
        Debug.Assert(deferred == 0, "a row-wise epilogue over tail columns");
    }

    /// <summary>
    /// TRows rows of A (stride <paramref name="k"/>) dotted with TCols tail columns (<paramref name="w0"/>,
    /// <paramref name="w1"/>) into c (stride <paramref name="ldc"/>): one accumulator per pair with k in the lanes,
    /// summed across, then the last k % lanes products added in order. The order depends on k and the path only,
    /// never on the row count, so a row's result is the same in any tile. On AVX-512 the tile also applies the
    /// epilogue (<paramref name="pairBias"/>: the bias of lane 2 row + column) with 16 lanes; with fewer, Run does, row by row.
    /// </summary>
    [SkipLocalsInit]
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void DotTile<TSimd, TVec, TEpi, TRows, TCols>(ref float a, int k, ref float w0, ref float w1, ref float c, int ldc, TVec pairBias)
        where TSimd : struct, ISimd<TVec>
        where TVec : struct
        where TEpi : IEpilogue
        where TRows : IRowCount
        where TCols : IRowCount
    {
        Debug.Assert(k > 0 && TRows.Count is 1 or 4 or 8 && TCols.Count is 1 or 2, "a dot tile of 1, 4 or 8 rows by 1 or 2 columns");
        int w = TSimd.Count;
        int full = k - (k % w);
        TVec s00 = TSimd.Zero, s01 = TSimd.Zero, s10 = TSimd.Zero, s11 = TSimd.Zero;
        TVec s20 = TSimd.Zero, s21 = TSimd.Zero, s30 = TSimd.Zero, s31 = TSimd.Zero;
        TVec s40 = TSimd.Zero, s41 = TSimd.Zero, s50 = TSimd.Zero, s51 = TSimd.Zero;
        TVec s60 = TSimd.Zero, s61 = TSimd.Zero, s70 = TSimd.Zero, s71 = TSimd.Zero;
        ref float a1 = ref Unsafe.Add(ref a, TRows.Count > 1 ? k : 0);
        ref float a2 = ref Unsafe.Add(ref a, TRows.Count > 2 ? 2 * k : 0);
        ref float a3 = ref Unsafe.Add(ref a, TRows.Count > 2 ? 3 * k : 0);
        ref float a4 = ref Unsafe.Add(ref a, TRows.Count > 4 ? 4 * k : 0);
        ref float a5 = ref Unsafe.Add(ref a, TRows.Count > 4 ? 5 * k : 0);
        ref float a6 = ref Unsafe.Add(ref a, TRows.Count > 4 ? 6 * k : 0);
        ref float a7 = ref Unsafe.Add(ref a, TRows.Count > 4 ? 7 * k : 0);
        for (int q = 0; q < full; q += w)
        {
            TVec v0 = TSimd.Load(ref Unsafe.Add(ref w0, q));
            TVec v1 = TCols.Count > 1 ? TSimd.Load(ref Unsafe.Add(ref w1, q)) : v0;
            TVec x = TSimd.Load(ref Unsafe.Add(ref a, q));
            s00 = TSimd.MulAdd(x, v0, s00);
            if (TCols.Count > 1) { s01 = TSimd.MulAdd(x, v1, s01); }
            if (TRows.Count > 1)
            {
                x = TSimd.Load(ref Unsafe.Add(ref a1, q));
                s10 = TSimd.MulAdd(x, v0, s10);
                if (TCols.Count > 1) { s11 = TSimd.MulAdd(x, v1, s11); }
            }

            if (TRows.Count > 2)
            {
                x = TSimd.Load(ref Unsafe.Add(ref a2, q));
                s20 = TSimd.MulAdd(x, v0, s20);
                if (TCols.Count > 1) { s21 = TSimd.MulAdd(x, v1, s21); }
                x = TSimd.Load(ref Unsafe.Add(ref a3, q));
                s30 = TSimd.MulAdd(x, v0, s30);
                if (TCols.Count > 1) { s31 = TSimd.MulAdd(x, v1, s31); }
            }

            if (TRows.Count > 4)
            {
                x = TSimd.Load(ref Unsafe.Add(ref a4, q));
                s40 = TSimd.MulAdd(x, v0, s40);
                if (TCols.Count > 1) { s41 = TSimd.MulAdd(x, v1, s41); }
                x = TSimd.Load(ref Unsafe.Add(ref a5, q));
                s50 = TSimd.MulAdd(x, v0, s50);
                if (TCols.Count > 1) { s51 = TSimd.MulAdd(x, v1, s51); }
                x = TSimd.Load(ref Unsafe.Add(ref a6, q));
                s60 = TSimd.MulAdd(x, v0, s60);
                if (TCols.Count > 1) { s61 = TSimd.MulAdd(x, v1, s61); }
                x = TSimd.Load(ref Unsafe.Add(ref a7, q));
                s70 = TSimd.MulAdd(x, v0, s70);
                if (TCols.Count > 1) { s71 = TSimd.MulAdd(x, v1, s71); }
            }
        }

        if (TSimd.Count == 16)
        {
            Vector512<float> sums = SumEach(As512(s00), As512(s01), As512(s10), As512(s11), As512(s20), As512(s21), As512(s30), As512(s31),
                As512(s40), As512(s41), As512(s50), As512(s51), As512(s60), As512(s61), As512(s70), As512(s71));
            Packed<TEpi, TRows, TCols>(sums, ref a, k, ref w0, ref w1, full, ref c, ldc, As512(pairBias));
            return;
        }

        c = DotFinish<TSimd, TVec>(s00, ref a, ref w0, full, k);
        if (TCols.Count > 1) { Unsafe.Add(ref c, 1) = DotFinish<TSimd, TVec>(s01, ref a, ref w1, full, k); }
        if (TRows.Count > 1)
        {
            Unsafe.Add(ref c, ldc) = DotFinish<TSimd, TVec>(s10, ref a1, ref w0, full, k);
            if (TCols.Count > 1) { Unsafe.Add(ref c, ldc + 1) = DotFinish<TSimd, TVec>(s11, ref a1, ref w1, full, k); }
        }

        if (TRows.Count > 2)
        {
            Unsafe.Add(ref c, 2 * ldc) = DotFinish<TSimd, TVec>(s20, ref a2, ref w0, full, k);
            if (TCols.Count > 1) { Unsafe.Add(ref c, (2 * ldc) + 1) = DotFinish<TSimd, TVec>(s21, ref a2, ref w1, full, k); }
            Unsafe.Add(ref c, 3 * ldc) = DotFinish<TSimd, TVec>(s30, ref a3, ref w0, full, k);
            if (TCols.Count > 1) { Unsafe.Add(ref c, (3 * ldc) + 1) = DotFinish<TSimd, TVec>(s31, ref a3, ref w1, full, k); }
        }

        if (TRows.Count > 4)
        {
            Unsafe.Add(ref c, 4 * ldc) = DotFinish<TSimd, TVec>(s40, ref a4, ref w0, full, k);
            if (TCols.Count > 1) { Unsafe.Add(ref c, (4 * ldc) + 1) = DotFinish<TSimd, TVec>(s41, ref a4, ref w1, full, k); }
            Unsafe.Add(ref c, 5 * ldc) = DotFinish<TSimd, TVec>(s50, ref a5, ref w0, full, k);
            if (TCols.Count > 1) { Unsafe.Add(ref c, (5 * ldc) + 1) = DotFinish<TSimd, TVec>(s51, ref a5, ref w1, full, k); }
            Unsafe.Add(ref c, 6 * ldc) = DotFinish<TSimd, TVec>(s60, ref a6, ref w0, full, k);
            if (TCols.Count > 1) { Unsafe.Add(ref c, (6 * ldc) + 1) = DotFinish<TSimd, TVec>(s61, ref a6, ref w1, full, k); }
            Unsafe.Add(ref c, 7 * ldc) = DotFinish<TSimd, TVec>(s70, ref a7, ref w0, full, k);
            if (TCols.Count > 1) { Unsafe.Add(ref c, (7 * ldc) + 1) = DotFinish<TSimd, TVec>(s71, ref a7, ref w1, full, k); }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<float> As512<TVec>(TVec v)
        where TVec : struct => Unsafe.As<TVec, Vector512<float>>(ref v);

    /// <summary>
    /// Lane 2 r + c of the result: the 16 lanes of s_rc summed, each in <see cref="Vector512.Sum"/>'s pairwise tree
    /// (adjacent lanes, then pairs of pairs, then the 128-bit quarters, then the halves), so a sum has the bits it had
    /// when each accumulator was summed alone. Summing the 16 together takes 15 shuffle pairs and 15 additions,
    /// where summing each alone took 16 times 12 operations.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<float> SumEach(
        Vector512<float> s00, Vector512<float> s01, Vector512<float> s10, Vector512<float> s11, Vector512<float> s20, Vector512<float> s21, Vector512<float> s30, Vector512<float> s31,
        Vector512<float> s40, Vector512<float> s41, Vector512<float> s50, Vector512<float> s51, Vector512<float> s60, Vector512<float> s61, Vector512<float> s70, Vector512<float> s71)
    {
        // In each 128-bit quarter: [x0 + x1, x2 + x3] of the first operand, then of the second.
        static Vector512<float> Pairs(Vector512<float> x, Vector512<float> y) => Avx512F.Shuffle(x, y, 0x88) + Avx512F.Shuffle(x, y, 0xDD);

        // Quarters 0 + 1 and 2 + 3 of the first operand, then of the second.
        static Vector512<float> Quarters(Vector512<float> x, Vector512<float> y) => Avx512F.Shuffle4x128(x, y, 0x88) + Avx512F.Shuffle4x128(x, y, 0xDD);

        Vector512<float> r0 = Pairs(Pairs(s00, s01), Pairs(s10, s11)); // each quarter: four lanes of s00, s01, s10, s11 summed
        Vector512<float> r1 = Pairs(Pairs(s20, s21), Pairs(s30, s31));
        Vector512<float> r2 = Pairs(Pairs(s40, s41), Pairs(s50, s51));
        Vector512<float> r3 = Pairs(Pairs(s60, s61), Pairs(s70, s71));
        return Quarters(Quarters(r0, r1), Quarters(r2, r3));
    }

    /// <summary>
    /// The AVX-512 finish of a dot tile: <paramref name="sums"/> (lane 2 r + c) plus each sum's products past the last
    /// whole vector, in order (as <see cref="DotFinish"/>), then bias and activation over all the tile's sums as one
    /// vector, then each row's one or two columns stored.
    /// </summary>
    [SkipLocalsInit]
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Packed<TEpi, TRows, TCols>(
        Vector512<float> sums, ref float a, int k, ref float w0, ref float w1, int full, ref float c, int ldc, Vector512<float> pairBias)
        where TEpi : IEpilogue
        where TRows : IRowCount
        where TCols : IRowCount
    {
        if (full < k)
        {
            Span<float> lanes = stackalloc float[16];
            sums.StoreUnsafe(ref MemoryMarshal.GetReference(lanes));
            for (int r = 0; r < TRows.Count; r++)
            {
                lanes[2 * r] = Rest(lanes[2 * r], ref Unsafe.Add(ref a, r * k), ref w0, full, k);
                if (TCols.Count > 1) { lanes[(2 * r) + 1] = Rest(lanes[(2 * r) + 1], ref Unsafe.Add(ref a, r * k), ref w1, full, k); }
            }

            sums = Vector512.LoadUnsafe(ref MemoryMarshal.GetReference(lanes));
        }

        int deferred = 0;
        if (!TEpi.IsIdentity || pairBias != Vector512<float>.Zero)
        {
            // Element-wise only (a row-wise epilogue never has tail columns), so every lane is finished as in a panel.
            sums = TEpi.Apply<Simd512, Vector512<float>>(sums, pairBias, 16, ref deferred, 0);
        }

        Debug.Assert(deferred == 0, "a row-wise epilogue over tail columns");
        Vector512<ulong> rows = sums.AsUInt64();
        Store<TCols>(ref c, rows, 0);
        if (TRows.Count > 1) { Store<TCols>(ref Unsafe.Add(ref c, ldc), rows, 1); }
        if (TRows.Count > 2)
        {
            Store<TCols>(ref Unsafe.Add(ref c, 2 * ldc), rows, 2);
            Store<TCols>(ref Unsafe.Add(ref c, 3 * ldc), rows, 3);
        }

        if (TRows.Count > 4)
        {
            Store<TCols>(ref Unsafe.Add(ref c, 4 * ldc), rows, 4);
            Store<TCols>(ref Unsafe.Add(ref c, 5 * ldc), rows, 5);
            Store<TCols>(ref Unsafe.Add(ref c, 6 * ldc), rows, 6);
            Store<TCols>(ref Unsafe.Add(ref c, 7 * ldc), rows, 7);
        }
    }

    /// <summary>Row <paramref name="row"/>'s one or two columns (64-bit lane <paramref name="row"/>) stored at <paramref name="c"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Store<TCols>(ref float c, Vector512<ulong> rows, int row)
        where TCols : IRowCount
    {
        ulong both = rows.GetElement(row);
        if (TCols.Count > 1)
        {
            Unsafe.WriteUnaligned(ref Unsafe.As<float, byte>(ref c), both);
        }
        else
        {
            c = BitConverter.Int32BitsToSingle((int)(uint)both);
        }
    }

    /// <summary>s plus a[q] w[q] for q from <paramref name="full"/> to k, one rounding each, in order.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static float Rest(float s, ref float a, ref float w, int full, int k)
    {
        for (int q = full; q < k; q++)
        {
            s = MathF.FusedMultiplyAdd(Unsafe.Add(ref a, q), Unsafe.Add(ref w, q), s);
        }

        return s;
    }

    /// <summary>The lanes of a dot-product accumulator summed, then the products past the last whole vector, in order.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static float DotFinish<TSimd, TVec>(TVec sum, ref float a, ref float w, int full, int k)
        where TSimd : struct, ISimd<TVec>
        where TVec : struct
    {
        return Rest(TSimd.Sum(sum), ref a, ref w, full, k);
    }
}
