using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using NnSimd.Internal;

namespace NnSimd.Kernels;

/// <summary>
/// The int8 tile: up to 6 rows of A times up to 2 panels of Q, 12 int32 accumulators. With 2 panels a step is 2 loads
/// of Q and 6 broadcasts of A for 12 dot products, and 12 independent sums cover VPDPBUSD's latency at two per cycle;
/// 12 accumulators, 2 weight vectors and a broadcast fill the 16 registers that a VEX-encoded VPDPBUSD can name.
/// </summary>
internal static class Int8MicroKernel
{
    /// <summary>
    /// a: [TRows, k] bytes (stride k); panel: step 0 of TPanels adjacent panels (steps StepBytes apart); c: [TRows, n]
    /// (stride Ldc) from column <paramref name="col"/>; rowScale: TRows scales, <paramref name="rowScaleStep"/> apart
    /// (0: one for all rows); <paramref name="available"/>: the bytes of A readable from <paramref name="a"/> on. C is
    /// written once, never read.
    /// </summary>
    [SkipLocalsInit]
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Tile<TDot, TAcc, TSimd, TVec, TEpi, TRows, TPanels, TOrder>(
        ref byte a, int available, ref byte panel, int col, ref float c, ref float rowScale, int rowScaleStep, Int8TileArgs t, Steps groups = default)
        where TDot : IDot<TAcc, TVec>
        where TAcc : struct
        where TSimd : struct, ISimd<TVec>
        where TVec : struct
        where TEpi : IEpilogue
        where TRows : IRowCount
        where TPanels : IRowCount
        where TOrder : IStepOrder
    {
        Debug.Assert(TRows.Count <= 6 && TPanels.Count <= 2, "the tile holds at most 6 rows x 2 panels");
        int k = t.Depth;
        int g = TDot.Group;
        int w = TDot.Lanes * g * TDot.ElementBytes;
        TAcc c00 = TDot.Zero, c01 = TDot.Zero;
        TAcc c10 = TDot.Zero, c11 = TDot.Zero;
        TAcc c20 = TDot.Zero, c21 = TDot.Zero;
        TAcc c30 = TDot.Zero, c31 = TDot.Zero;
        TAcc c40 = TDot.Zero, c41 = TDot.Zero;
        TAcc c50 = TDot.Zero, c51 = TDot.Zero;
        // On one panel the second column of accumulators sums the odd steps (12 independent sums either way; 6 would
        // wait on VPDPBUSD's latency), so an iteration takes 2 steps there.
        int unit = TPanels.Count > 1 ? 1 : 2;
        int whole = k - (k % (unit * g));

        // Pass 0 runs over the whole iterations: every group of k, or (with 2 panels) only the groups listed in
        // groups, those where a row of the tile is not zero (NonZeroSteps; the sums are integers, so leaving out the
        // others is exact). Pass 1, if A has bytes left, runs once more over each row's rest, read whole: in place,
        // or copied zero-padded to t.Tail at A's end (the weights past k are packed as 0, and B's steps are padded
        // to a multiple of 8). Rows are reached from two pointers with scaled indices, so the loop needs few general
        // registers.
        bool listed = TOrder.Listed;
        Debug.Assert(!listed || (TPanels.Count == 2 && groups.Count <= whole / g), "only 2-panel tiles skip groups, within the whole ones");
        ref byte rows = ref a;
        nint lda = k;
        ref int list = ref groups.First;
        int entries = listed ? groups.Count : whole / g;
        nint stepBytes = t.StepBytes;
        ref byte start = ref panel;
        for (int pass = 0; pass < 2; pass++)
        {
            // One step: each row's next group broadcast (x), each panel's weights for it (b0, b1):
            //           b0 (panel 0)           b1 (panel 1)
            //   row 0   c00 = dot(c00, x, b0)  c01 = dot(c01, x, b1)
            //   ...
            //   row 5   c50                    c51
            // On one panel, b1 is the panel's next step and the second column takes each row's next group.
            for (int e = 0; e < entries; e += unit)
            {
                nint q = TOrder.At(ref list, e);
                ref byte a0 = ref Unsafe.Add(ref rows, q * g);
                ref byte a3 = ref Unsafe.Add(ref a0, TRows.Count > 3 ? 3 * lda : 0);
                ref byte bp = ref Unsafe.Add(ref start, q * stepBytes);
                TAcc b0 = TDot.Load(ref bp);
                TAcc b1 = TDot.Load(ref Unsafe.Add(ref bp, TPanels.Count > 1 ? w : stepBytes));
                TAcc x = TDot.Broadcast(ref a0);
                c00 = TDot.Dot(c00, x, b0);
                c01 = TDot.Dot(c01, TPanels.Count > 1 ? x : TDot.Broadcast(ref Unsafe.Add(ref a0, g)), b1);
                if (TRows.Count > 1)
                {
                    x = TDot.Broadcast(ref Unsafe.Add(ref a0, lda));
                    c10 = TDot.Dot(c10, x, b0);
                    c11 = TDot.Dot(c11, TPanels.Count > 1 ? x : TDot.Broadcast(ref Unsafe.Add(ref a0, lda + g)), b1);
                }

                if (TRows.Count > 2)
                {
                    x = TDot.Broadcast(ref Unsafe.Add(ref a0, 2 * lda));
                    c20 = TDot.Dot(c20, x, b0);
                    c21 = TDot.Dot(c21, TPanels.Count > 1 ? x : TDot.Broadcast(ref Unsafe.Add(ref a0, (2 * lda) + g)), b1);
                }

                if (TRows.Count > 3)
                {
                    x = TDot.Broadcast(ref a3);
                    c30 = TDot.Dot(c30, x, b0);
                    c31 = TDot.Dot(c31, TPanels.Count > 1 ? x : TDot.Broadcast(ref Unsafe.Add(ref a3, g)), b1);
                }

                if (TRows.Count > 4)
                {
                    x = TDot.Broadcast(ref Unsafe.Add(ref a3, lda));
                    c40 = TDot.Dot(c40, x, b0);
                    c41 = TDot.Dot(c41, TPanels.Count > 1 ? x : TDot.Broadcast(ref Unsafe.Add(ref a3, lda + g)), b1);
                }

                if (TRows.Count > 5)
                {
                    x = TDot.Broadcast(ref Unsafe.Add(ref a3, 2 * lda));
                    c50 = TDot.Dot(c50, x, b0);
                    c51 = TDot.Dot(c51, TPanels.Count > 1 ? x : TDot.Broadcast(ref Unsafe.Add(ref a3, (2 * lda) + g)), b1);
                }
            }

            if (pass == 1 || whole == k)
            {
                break;
            }

            if (((TRows.Count - 1) * k) + whole + (unit * g) <= available)
            {
                // The last row's rest and what follows it are still A: read in place, the bytes past each row
                // meeting the zero weights past k.
                rows = ref Unsafe.Add(ref a, whole);
            }
            else
            {
                Int8Tail.Copy(ref a, k, whole, TRows.Count, unit * g, ref t.Tail);
                rows = ref t.Tail;
                lda = Int8Tail.Stride;
            }

            start = ref Unsafe.Add(ref panel, whole / g * stepBytes);
            list = ref NonZeroSteps.All[0]; // groups 0 and 1 from the rest's start, in either order
            entries = unit;
        }

        if (TPanels.Count == 1)
        {
            c00 = TDot.Add(c00, c01);
            if (TRows.Count > 1) { c10 = TDot.Add(c10, c11); }
            if (TRows.Count > 2) { c20 = TDot.Add(c20, c21); }
            if (TRows.Count > 3) { c30 = TDot.Add(c30, c31); }
            if (TRows.Count > 4) { c40 = TDot.Add(c40, c41); }
            if (TRows.Count > 5) { c50 = TDot.Add(c50, c51); }
        }

        int lanes = TDot.Lanes;
        int n = t.Ldc;
        int cols0 = Math.Min(lanes, n - col);
        int cols1 = TPanels.Count > 1 ? Math.Min(lanes, n - col - lanes) : 0;
        ref float scratch = ref t.Scratch;
        ref float out0 = ref Unsafe.Add(ref c, col);
        int deferred = 0;
        if (default(TEpi) is IRowWiseEpilogue && TPanels.Count > 1 && TDot.Lanes == 8)
        {
            // Softmax over two 8-lane panels: each row as one 512-bit vector (Int8Finish.Wide), every row finished
            // before any store, as below.
            int cols = cols0 + cols1;
            (Vector512<float> wideScale, Vector512<float> wideBias) = Int8Finish.WideColumns(t, col, cols);
            Vector512<float> w0 = Int8Finish.Wide<TDot, TAcc, TVec, TEpi>(c00, c01, rowScale, wideScale, wideBias, cols, ref deferred, 0);
            Vector512<float> w1 = w0, w2 = w0, w3 = w0, w4 = w0, w5 = w0;
            if (TRows.Count > 1) { w1 = Int8Finish.Wide<TDot, TAcc, TVec, TEpi>(c10, c11, Unsafe.Add(ref rowScale, rowScaleStep), wideScale, wideBias, cols, ref deferred, 1); }
            if (TRows.Count > 2) { w2 = Int8Finish.Wide<TDot, TAcc, TVec, TEpi>(c20, c21, Unsafe.Add(ref rowScale, 2 * rowScaleStep), wideScale, wideBias, cols, ref deferred, 2); }
            if (TRows.Count > 3) { w3 = Int8Finish.Wide<TDot, TAcc, TVec, TEpi>(c30, c31, Unsafe.Add(ref rowScale, 3 * rowScaleStep), wideScale, wideBias, cols, ref deferred, 3); }
            if (TRows.Count > 4) { w4 = Int8Finish.Wide<TDot, TAcc, TVec, TEpi>(c40, c41, Unsafe.Add(ref rowScale, 4 * rowScaleStep), wideScale, wideBias, cols, ref deferred, 4); }
            if (TRows.Count > 5) { w5 = Int8Finish.Wide<TDot, TAcc, TVec, TEpi>(c50, c51, Unsafe.Add(ref rowScale, 5 * rowScaleStep), wideScale, wideBias, cols, ref deferred, 5); }
            StoreRows<Simd512, Vector512<float>, TEpi, TRows>(w0, w1, w2, w3, w4, w5, ref out0, n, cols, ref scratch, deferred);
            return;
        }

        TVec cs0 = TSimd.LoadFirst(ref Unsafe.Add(ref t.ColScales, col), cols0, ref scratch);
        TVec cs1 = TPanels.Count > 1 ? TSimd.LoadFirst(ref Unsafe.Add(ref t.ColScales, col + lanes), cols1, ref scratch) : cs0;
        TVec bias0 = t.HasBias ? TSimd.LoadFirst(ref Unsafe.Add(ref t.Bias, col), cols0, ref scratch) : TSimd.Zero;
        TVec bias1 = t.HasBias && TPanels.Count > 1 ? TSimd.LoadFirst(ref Unsafe.Add(ref t.Bias, col + lanes), cols1, ref scratch) : TSimd.Zero;
        if (default(TEpi) is IRowWiseEpilogue)
        {
            // Softmax: one panel; every row finished before any store, so the rows' reductions overlap (as in the
            // fp32 tile, where finishing row by row took twice as long).
            Debug.Assert(TPanels.Count == 1, "a row-wise epilogue needs each row in one panel, or two 8-lane panels");
            TVec v0 = Int8Finish.Value<TDot, TAcc, TSimd, TVec, TEpi>(c00, rowScale, cs0, bias0, cols0, ref deferred, 0);
            TVec v1 = v0, v2 = v0, v3 = v0, v4 = v0, v5 = v0;
            if (TRows.Count > 1) { v1 = Int8Finish.Value<TDot, TAcc, TSimd, TVec, TEpi>(c10, Unsafe.Add(ref rowScale, rowScaleStep), cs0, bias0, cols0, ref deferred, 1); }
            if (TRows.Count > 2) { v2 = Int8Finish.Value<TDot, TAcc, TSimd, TVec, TEpi>(c20, Unsafe.Add(ref rowScale, 2 * rowScaleStep), cs0, bias0, cols0, ref deferred, 2); }
            if (TRows.Count > 3) { v3 = Int8Finish.Value<TDot, TAcc, TSimd, TVec, TEpi>(c30, Unsafe.Add(ref rowScale, 3 * rowScaleStep), cs0, bias0, cols0, ref deferred, 3); }
            if (TRows.Count > 4) { v4 = Int8Finish.Value<TDot, TAcc, TSimd, TVec, TEpi>(c40, Unsafe.Add(ref rowScale, 4 * rowScaleStep), cs0, bias0, cols0, ref deferred, 4); }
            if (TRows.Count > 5) { v5 = Int8Finish.Value<TDot, TAcc, TSimd, TVec, TEpi>(c50, Unsafe.Add(ref rowScale, 5 * rowScaleStep), cs0, bias0, cols0, ref deferred, 5); }
            StoreRows<TSimd, TVec, TEpi, TRows>(v0, v1, v2, v3, v4, v5, ref out0, n, cols0, ref scratch, deferred);
            return;
        }

        Int8Finish.Row<TDot, TAcc, TSimd, TVec, TEpi, TPanels>(c00, c01, rowScale, cs0, cs1, bias0, bias1, cols0, cols1, lanes, ref out0, ref scratch);
        if (TRows.Count > 1) { Int8Finish.Row<TDot, TAcc, TSimd, TVec, TEpi, TPanels>(c10, c11, Unsafe.Add(ref rowScale, rowScaleStep), cs0, cs1, bias0, bias1, cols0, cols1, lanes, ref Unsafe.Add(ref out0, n), ref scratch); }
        if (TRows.Count > 2) { Int8Finish.Row<TDot, TAcc, TSimd, TVec, TEpi, TPanels>(c20, c21, Unsafe.Add(ref rowScale, 2 * rowScaleStep), cs0, cs1, bias0, bias1, cols0, cols1, lanes, ref Unsafe.Add(ref out0, 2 * n), ref scratch); }
        if (TRows.Count > 3) { Int8Finish.Row<TDot, TAcc, TSimd, TVec, TEpi, TPanels>(c30, c31, Unsafe.Add(ref rowScale, 3 * rowScaleStep), cs0, cs1, bias0, bias1, cols0, cols1, lanes, ref Unsafe.Add(ref out0, 3 * n), ref scratch); }
        if (TRows.Count > 4) { Int8Finish.Row<TDot, TAcc, TSimd, TVec, TEpi, TPanels>(c40, c41, Unsafe.Add(ref rowScale, 4 * rowScaleStep), cs0, cs1, bias0, bias1, cols0, cols1, lanes, ref Unsafe.Add(ref out0, 4 * n), ref scratch); }
        if (TRows.Count > 5) { Int8Finish.Row<TDot, TAcc, TSimd, TVec, TEpi, TPanels>(c50, c51, Unsafe.Add(ref rowScale, 5 * rowScaleStep), cs0, cs1, bias0, bias1, cols0, cols1, lanes, ref Unsafe.Add(ref out0, 5 * n), ref scratch); }
    }

    /// <summary>
    /// A row-wise epilogue's finished rows (TRows of them, <paramref name="n"/> apart from <paramref name="out0"/>),
    /// their first <paramref name="cols"/> columns each; then the rows it deferred take the slow path.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void StoreRows<TS, TV, TEpi, TRows>(TV v0, TV v1, TV v2, TV v3, TV v4, TV v5, ref float out0, int n, int cols, ref float scratch, int deferred)
        where TS : struct, ISimd<TV>
        where TV : struct
        where TEpi : IEpilogue
        where TRows : IRowCount
    {
        TS.StoreFirst(v0, ref out0, cols, ref scratch);
        if (TRows.Count > 1) { TS.StoreFirst(v1, ref Unsafe.Add(ref out0, n), cols, ref scratch); }
        if (TRows.Count > 2) { TS.StoreFirst(v2, ref Unsafe.Add(ref out0, 2 * n), cols, ref scratch); }
        if (TRows.Count > 3) { TS.StoreFirst(v3, ref Unsafe.Add(ref out0, 3 * n), cols, ref scratch); }
        if (TRows.Count > 4) { TS.StoreFirst(v4, ref Unsafe.Add(ref out0, 4 * n), cols, ref scratch); }
        if (TRows.Count > 5) { TS.StoreFirst(v5, ref Unsafe.Add(ref out0, 5 * n), cols, ref scratch); }
        if (deferred != 0)
        {
            TEpi.Finish(ref out0, n, cols, deferred);
        }
    }
}
