using System.Diagnostics;
using System.Runtime.CompilerServices;
using NnSimd.Internal;

namespace NnSimd.Kernels;

/// <summary>The register-tiled micro-kernel: up to 8 rows of A times up to 3 panels of B, 24 accumulators.</summary>
internal static class MicroKernel
{
    /// <summary>
    /// The micro-kernel: TRows rows of A (stride Lda) times TPanels consecutive panels (Depth x NR each,
    /// PanelStride apart) into a TRows x (TPanels NR) tile of C (stride Ldc), of which the first Cols0 (Cols1,
    /// Cols2) columns of each panel are real; <paramref name="next"/> is the first of TRows rows (stride Lda) to
    /// prefetch on the way. Contract: with First, C is never read (pooled memory is dirty);
    /// otherwise the tile continues the sum already in C. With Last, bias and the activation are applied in
    /// registers before the one store. Each element is one FMA chain over k in order, whatever the tile shape,
    /// so results do not depend on it. Unused accumulators fold away per TRows and TPanels.
    /// </summary>
    [SkipLocalsInit]
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Tile<TSimd, TVec, TEpi, TRows, TPanels, TOrder>(ref float a, ref float panel, ref float c, in TileArgs<TVec> t, Steps steps, ref float next, ref float scratch)
        where TSimd : struct, ISimd<TVec>
        where TVec : struct
        where TEpi : IEpilogue
        where TRows : IRowCount
        where TPanels : IRowCount
        where TOrder : IStepOrder
    {
        Debug.Assert(t.Depth > 0 && t.Lda >= t.Depth && t.Ldc >= t.Cols0, "a tile needs depth, and strides that cover it");
        Debug.Assert(t.Cols0 is > 0 and <= 16 && (TPanels.Count < 2 || t.Cols1 > 0) && (TPanels.Count < 3 || t.Cols2 > 0), "every panel of a tile has a real column");
        int w = TSimd.Count;
        int lda = t.Lda;
        int ldc = t.Ldc;
        TVec c00 = TSimd.Zero, c01 = TSimd.Zero, c02 = TSimd.Zero;
        TVec c10 = TSimd.Zero, c11 = TSimd.Zero, c12 = TSimd.Zero;
        TVec c20 = TSimd.Zero, c21 = TSimd.Zero, c22 = TSimd.Zero;
        TVec c30 = TSimd.Zero, c31 = TSimd.Zero, c32 = TSimd.Zero;
        TVec c40 = TSimd.Zero, c41 = TSimd.Zero, c42 = TSimd.Zero;
        TVec c50 = TSimd.Zero, c51 = TSimd.Zero, c52 = TSimd.Zero;
        TVec c60 = TSimd.Zero, c61 = TSimd.Zero, c62 = TSimd.Zero;
        TVec c70 = TSimd.Zero, c71 = TSimd.Zero, c72 = TSimd.Zero;
        if (!t.First)
        {
            c00 = TSimd.LoadFirst(ref Unsafe.Add(ref c, 0), t.Cols0, ref scratch);
            if (TPanels.Count > 1) { c01 = TSimd.LoadFirst(ref Unsafe.Add(ref c, 0 + w), t.Cols1, ref scratch); }
            if (TPanels.Count > 2) { c02 = TSimd.LoadFirst(ref Unsafe.Add(ref c, 0 + (2 * w)), t.Cols2, ref scratch); }
            if (TRows.Count > 1) { c10 = TSimd.LoadFirst(ref Unsafe.Add(ref c, 1 * ldc), t.Cols0, ref scratch); }
            if (TRows.Count > 1 && TPanels.Count > 1) { c11 = TSimd.LoadFirst(ref Unsafe.Add(ref c, 1 * ldc + w), t.Cols1, ref scratch); }
            if (TRows.Count > 1 && TPanels.Count > 2) { c12 = TSimd.LoadFirst(ref Unsafe.Add(ref c, 1 * ldc + (2 * w)), t.Cols2, ref scratch); }
            if (TRows.Count > 2) { c20 = TSimd.LoadFirst(ref Unsafe.Add(ref c, 2 * ldc), t.Cols0, ref scratch); }
            if (TRows.Count > 2 && TPanels.Count > 1) { c21 = TSimd.LoadFirst(ref Unsafe.Add(ref c, 2 * ldc + w), t.Cols1, ref scratch); }
            if (TRows.Count > 2 && TPanels.Count > 2) { c22 = TSimd.LoadFirst(ref Unsafe.Add(ref c, 2 * ldc + (2 * w)), t.Cols2, ref scratch); }
            if (TRows.Count > 2) { c30 = TSimd.LoadFirst(ref Unsafe.Add(ref c, 3 * ldc), t.Cols0, ref scratch); }
            if (TRows.Count > 2 && TPanels.Count > 1) { c31 = TSimd.LoadFirst(ref Unsafe.Add(ref c, 3 * ldc + w), t.Cols1, ref scratch); }
            if (TRows.Count > 2 && TPanels.Count > 2) { c32 = TSimd.LoadFirst(ref Unsafe.Add(ref c, 3 * ldc + (2 * w)), t.Cols2, ref scratch); }
            if (TRows.Count > 4) { c40 = TSimd.LoadFirst(ref Unsafe.Add(ref c, 4 * ldc), t.Cols0, ref scratch); }
            if (TRows.Count > 4 && TPanels.Count > 1) { c41 = TSimd.LoadFirst(ref Unsafe.Add(ref c, 4 * ldc + w), t.Cols1, ref scratch); }
            if (TRows.Count > 4 && TPanels.Count > 2) { c42 = TSimd.LoadFirst(ref Unsafe.Add(ref c, 4 * ldc + (2 * w)), t.Cols2, ref scratch); }
            if (TRows.Count > 4) { c50 = TSimd.LoadFirst(ref Unsafe.Add(ref c, 5 * ldc), t.Cols0, ref scratch); }
            if (TRows.Count > 4 && TPanels.Count > 1) { c51 = TSimd.LoadFirst(ref Unsafe.Add(ref c, 5 * ldc + w), t.Cols1, ref scratch); }
            if (TRows.Count > 4 && TPanels.Count > 2) { c52 = TSimd.LoadFirst(ref Unsafe.Add(ref c, 5 * ldc + (2 * w)), t.Cols2, ref scratch); }
            if (TRows.Count > 4) { c60 = TSimd.LoadFirst(ref Unsafe.Add(ref c, 6 * ldc), t.Cols0, ref scratch); }
            if (TRows.Count > 4 && TPanels.Count > 1) { c61 = TSimd.LoadFirst(ref Unsafe.Add(ref c, 6 * ldc + w), t.Cols1, ref scratch); }
            if (TRows.Count > 4 && TPanels.Count > 2) { c62 = TSimd.LoadFirst(ref Unsafe.Add(ref c, 6 * ldc + (2 * w)), t.Cols2, ref scratch); }
            if (TRows.Count > 4) { c70 = TSimd.LoadFirst(ref Unsafe.Add(ref c, 7 * ldc), t.Cols0, ref scratch); }
            if (TRows.Count > 4 && TPanels.Count > 1) { c71 = TSimd.LoadFirst(ref Unsafe.Add(ref c, 7 * ldc + w), t.Cols1, ref scratch); }
            if (TRows.Count > 4 && TPanels.Count > 2) { c72 = TSimd.LoadFirst(ref Unsafe.Add(ref c, 7 * ldc + (2 * w)), t.Cols2, ref scratch); }
        }

        // Row r's value at step p is read as row 0's or row 3's address plus lda times 1, 2 or 4, which x86 addressing
        // does in the load itself: 4 registers for the 8 rows (row 0 and 3 at p, lda, 3 lda), where 8 row pointers
        // left too few for the loop, and the JIT kept 4 to 7 of them (and, with a list, the list) on the stack,
        // reloaded every step. Same bits; 0.96-0.99x the time on MNIST at batch 100, no change on dense input.
        nint ldaBytes = (nint)lda * sizeof(float);
        nint lda3Bytes = 3 * ldaBytes;
        ref float panel1 = ref Unsafe.Add(ref panel, TPanels.Count > 1 ? t.PanelStride : 0);
        ref float panel2 = ref Unsafe.Add(ref panel, TPanels.Count > 2 ? 2 * t.PanelStride : 0);
        // With a list (ListedSteps), the tile takes only the steps of k where one of its rows is not zero
        // (NonZeroSteps), which changes no bit, and the prefetch of the next tile's rows still covers all of them.
        // Specialised per order, so the loop over every step has neither the list nor the wider prefetch.
        bool listed = TOrder.Listed;
        ref int step = ref steps.First;
        int count = listed ? steps.Count : t.Depth;
        int reach = listed ? Math.Max(TRows.Count, TRows.Count * t.Depth / Math.Max(count, 1)) : TRows.Count;
        // One step p of k, with a = A[i, p] broadcast and b = B[p, j..j + NR) per panel (8 x 3 shown; TRows = 4 keeps
        // rows 0-3, TPanels = 1 or 2 keeps the first columns, and the rest fold away at compile time):
        //             b0 (panel 0)     b1 (panel 1)     b2 (panel 2)
        //   A[0, p]   c00 += a0 b0     c01 += a0 b1     c02 += a0 b2
        //   A[1, p]   c10 += a1 b0     c11 += a1 b1     c12 += a1 b2
        //   ...
        //   A[7, p]   c70 += a7 b0     c71 += a7 b1     c72 += a7 b2
        // 3 loads of B and 8 broadcasts of A feed 24 FMAs.
        for (int s = 0; s < count; s++)
        {
            // A's rows are contiguous (row-major, stride k), so the next tile is one run of TRows x k floats:
            // reach = TRows k / count floats further each step covers it in count steps (a new line every other
            // step when no step is skipped); past 16 floats a step, the following line too. A prefetch never
            // faults, and none lands more than a line past the rows.
            int p = (int)TOrder.At(ref step, s);
            Prefetch.Line(ref Unsafe.Add(ref next, s * reach));
            if (listed && reach > 16)
            {
                Prefetch.Line(ref Unsafe.Add(ref next, (s * reach) + 16));
            }

            TVec b0 = TSimd.Load(ref Unsafe.Add(ref panel, p * w));
            TVec b1 = TPanels.Count > 1 ? TSimd.Load(ref Unsafe.Add(ref panel1, p * w)) : b0;
            TVec b2 = TPanels.Count > 2 ? TSimd.Load(ref Unsafe.Add(ref panel2, p * w)) : b0;
            ref float r0 = ref Unsafe.Add(ref a, p);
            ref float r3 = ref Unsafe.AddByteOffset(ref r0, lda3Bytes);
            TVec x0 = TSimd.Broadcast(r0);
            c00 = TSimd.MulAdd(x0, b0, c00);
            if (TPanels.Count > 1) { c01 = TSimd.MulAdd(x0, b1, c01); }
            if (TPanels.Count > 2) { c02 = TSimd.MulAdd(x0, b2, c02); }

            if (TRows.Count > 1)
            {
                TVec x1 = TSimd.Broadcast(Unsafe.AddByteOffset(ref r0, ldaBytes));
                c10 = TSimd.MulAdd(x1, b0, c10);
                if (TPanels.Count > 1) { c11 = TSimd.MulAdd(x1, b1, c11); }
                if (TPanels.Count > 2) { c12 = TSimd.MulAdd(x1, b2, c12); }
            }

            if (TRows.Count > 2)
            {
                TVec x2 = TSimd.Broadcast(Unsafe.AddByteOffset(ref r0, ldaBytes * 2));
                c20 = TSimd.MulAdd(x2, b0, c20);
                if (TPanels.Count > 1) { c21 = TSimd.MulAdd(x2, b1, c21); }
                if (TPanels.Count > 2) { c22 = TSimd.MulAdd(x2, b2, c22); }
            }

            if (TRows.Count > 2)
            {
                TVec x3 = TSimd.Broadcast(r3);
                c30 = TSimd.MulAdd(x3, b0, c30);
                if (TPanels.Count > 1) { c31 = TSimd.MulAdd(x3, b1, c31); }
                if (TPanels.Count > 2) { c32 = TSimd.MulAdd(x3, b2, c32); }
            }

            if (TRows.Count > 4)
            {
                TVec x4 = TSimd.Broadcast(Unsafe.AddByteOffset(ref r0, ldaBytes * 4));
                c40 = TSimd.MulAdd(x4, b0, c40);
                if (TPanels.Count > 1) { c41 = TSimd.MulAdd(x4, b1, c41); }
                if (TPanels.Count > 2) { c42 = TSimd.MulAdd(x4, b2, c42); }
            }

            if (TRows.Count > 4)
            {
                TVec x5 = TSimd.Broadcast(Unsafe.AddByteOffset(ref r3, ldaBytes * 2));
                c50 = TSimd.MulAdd(x5, b0, c50);
                if (TPanels.Count > 1) { c51 = TSimd.MulAdd(x5, b1, c51); }
                if (TPanels.Count > 2) { c52 = TSimd.MulAdd(x5, b2, c52); }
            }

            if (TRows.Count > 4)
            {
                TVec x6 = TSimd.Broadcast(Unsafe.AddByteOffset(ref r0, lda3Bytes * 2));
                c60 = TSimd.MulAdd(x6, b0, c60);
                if (TPanels.Count > 1) { c61 = TSimd.MulAdd(x6, b1, c61); }
                if (TPanels.Count > 2) { c62 = TSimd.MulAdd(x6, b2, c62); }
            }

            if (TRows.Count > 4)
            {
                TVec x7 = TSimd.Broadcast(Unsafe.AddByteOffset(ref r3, ldaBytes * 4));
                c70 = TSimd.MulAdd(x7, b0, c70);
                if (TPanels.Count > 1) { c71 = TSimd.MulAdd(x7, b1, c71); }
                if (TPanels.Count > 2) { c72 = TSimd.MulAdd(x7, b2, c72); }
            }
        }

        int deferred = 0;
        if (default(TEpi) is IRowWiseEpilogue)
        {
            // A row-wise epilogue (softmax) has one panel: all rows are finished before any store, so the 8 rows'
            // independent reductions overlap (finishing and storing row by row took 2x as long at 100x100.100x10).
            Debug.Assert(TPanels.Count == 1, "a row-wise epilogue needs each row in one panel");
            if (t.Last)
            {
                c00 = TEpi.Apply<TSimd, TVec>(c00, t.Bias0, t.Cols0, ref deferred, 0);
                if (TRows.Count > 1) { c10 = TEpi.Apply<TSimd, TVec>(c10, t.Bias0, t.Cols0, ref deferred, 1); }
                if (TRows.Count > 2) { c20 = TEpi.Apply<TSimd, TVec>(c20, t.Bias0, t.Cols0, ref deferred, 2); }
                if (TRows.Count > 2) { c30 = TEpi.Apply<TSimd, TVec>(c30, t.Bias0, t.Cols0, ref deferred, 3); }
                if (TRows.Count > 4) { c40 = TEpi.Apply<TSimd, TVec>(c40, t.Bias0, t.Cols0, ref deferred, 4); }
                if (TRows.Count > 4) { c50 = TEpi.Apply<TSimd, TVec>(c50, t.Bias0, t.Cols0, ref deferred, 5); }
                if (TRows.Count > 4) { c60 = TEpi.Apply<TSimd, TVec>(c60, t.Bias0, t.Cols0, ref deferred, 6); }
                if (TRows.Count > 4) { c70 = TEpi.Apply<TSimd, TVec>(c70, t.Bias0, t.Cols0, ref deferred, 7); }
            }

            TSimd.StoreFirst(c00, ref Unsafe.Add(ref c, 0), t.Cols0, ref scratch);
            if (TRows.Count > 1) { TSimd.StoreFirst(c10, ref Unsafe.Add(ref c, 1 * ldc), t.Cols0, ref scratch); }
            if (TRows.Count > 2) { TSimd.StoreFirst(c20, ref Unsafe.Add(ref c, 2 * ldc), t.Cols0, ref scratch); }
            if (TRows.Count > 2) { TSimd.StoreFirst(c30, ref Unsafe.Add(ref c, 3 * ldc), t.Cols0, ref scratch); }
            if (TRows.Count > 4) { TSimd.StoreFirst(c40, ref Unsafe.Add(ref c, 4 * ldc), t.Cols0, ref scratch); }
            if (TRows.Count > 4) { TSimd.StoreFirst(c50, ref Unsafe.Add(ref c, 5 * ldc), t.Cols0, ref scratch); }
            if (TRows.Count > 4) { TSimd.StoreFirst(c60, ref Unsafe.Add(ref c, 6 * ldc), t.Cols0, ref scratch); }
            if (TRows.Count > 4) { TSimd.StoreFirst(c70, ref Unsafe.Add(ref c, 7 * ldc), t.Cols0, ref scratch); }
            if (deferred != 0)
            {
                TEpi.Finish(ref c, ldc, t.Cols0, deferred);
            }

            return;
        }

        // An element-wise epilogue and the store one accumulator at a time, so each result dies at its store:
        // finishing all 24 first kept them all live through the activation's temporaries and spilled (sigmoid cost
        // 3x its stand-alone pass at 100x50.50x100).
        if (t.Last) { c00 = TEpi.Apply<TSimd, TVec>(c00, t.Bias0, t.Cols0, ref deferred, 0); }
        TSimd.StoreFirst(c00, ref Unsafe.Add(ref c, 0), t.Cols0, ref scratch);
        if (TPanels.Count > 1) { if (t.Last) { c01 = TEpi.Apply<TSimd, TVec>(c01, t.Bias1, t.Cols1, ref deferred, 0); } TSimd.StoreFirst(c01, ref Unsafe.Add(ref c, 0 + w), t.Cols1, ref scratch); }
        if (TPanels.Count > 2) { if (t.Last) { c02 = TEpi.Apply<TSimd, TVec>(c02, t.Bias2, t.Cols2, ref deferred, 0); } TSimd.StoreFirst(c02, ref Unsafe.Add(ref c, 0 + (2 * w)), t.Cols2, ref scratch); }
        if (TRows.Count > 1) { if (t.Last) { c10 = TEpi.Apply<TSimd, TVec>(c10, t.Bias0, t.Cols0, ref deferred, 1); } TSimd.StoreFirst(c10, ref Unsafe.Add(ref c, 1 * ldc), t.Cols0, ref scratch); }
        if (TRows.Count > 1 && TPanels.Count > 1) { if (t.Last) { c11 = TEpi.Apply<TSimd, TVec>(c11, t.Bias1, t.Cols1, ref deferred, 1); } TSimd.StoreFirst(c11, ref Unsafe.Add(ref c, 1 * ldc + w), t.Cols1, ref scratch); }
        if (TRows.Count > 1 && TPanels.Count > 2) { if (t.Last) { c12 = TEpi.Apply<TSimd, TVec>(c12, t.Bias2, t.Cols2, ref deferred, 1); } TSimd.StoreFirst(c12, ref Unsafe.Add(ref c, 1 * ldc + (2 * w)), t.Cols2, ref scratch); }
        if (TRows.Count > 2) { if (t.Last) { c20 = TEpi.Apply<TSimd, TVec>(c20, t.Bias0, t.Cols0, ref deferred, 2); } TSimd.StoreFirst(c20, ref Unsafe.Add(ref c, 2 * ldc), t.Cols0, ref scratch); }
        if (TRows.Count > 2 && TPanels.Count > 1) { if (t.Last) { c21 = TEpi.Apply<TSimd, TVec>(c21, t.Bias1, t.Cols1, ref deferred, 2); } TSimd.StoreFirst(c21, ref Unsafe.Add(ref c, 2 * ldc + w), t.Cols1, ref scratch); }
        if (TRows.Count > 2 && TPanels.Count > 2) { if (t.Last) { c22 = TEpi.Apply<TSimd, TVec>(c22, t.Bias2, t.Cols2, ref deferred, 2); } TSimd.StoreFirst(c22, ref Unsafe.Add(ref c, 2 * ldc + (2 * w)), t.Cols2, ref scratch); }
        if (TRows.Count > 2) { if (t.Last) { c30 = TEpi.Apply<TSimd, TVec>(c30, t.Bias0, t.Cols0, ref deferred, 3); } TSimd.StoreFirst(c30, ref Unsafe.Add(ref c, 3 * ldc), t.Cols0, ref scratch); }
        if (TRows.Count > 2 && TPanels.Count > 1) { if (t.Last) { c31 = TEpi.Apply<TSimd, TVec>(c31, t.Bias1, t.Cols1, ref deferred, 3); } TSimd.StoreFirst(c31, ref Unsafe.Add(ref c, 3 * ldc + w), t.Cols1, ref scratch); }
        if (TRows.Count > 2 && TPanels.Count > 2) { if (t.Last) { c32 = TEpi.Apply<TSimd, TVec>(c32, t.Bias2, t.Cols2, ref deferred, 3); } TSimd.StoreFirst(c32, ref Unsafe.Add(ref c, 3 * ldc + (2 * w)), t.Cols2, ref scratch); }
        if (TRows.Count > 4) { if (t.Last) { c40 = TEpi.Apply<TSimd, TVec>(c40, t.Bias0, t.Cols0, ref deferred, 4); } TSimd.StoreFirst(c40, ref Unsafe.Add(ref c, 4 * ldc), t.Cols0, ref scratch); }
        if (TRows.Count > 4 && TPanels.Count > 1) { if (t.Last) { c41 = TEpi.Apply<TSimd, TVec>(c41, t.Bias1, t.Cols1, ref deferred, 4); } TSimd.StoreFirst(c41, ref Unsafe.Add(ref c, 4 * ldc + w), t.Cols1, ref scratch); }
        if (TRows.Count > 4 && TPanels.Count > 2) { if (t.Last) { c42 = TEpi.Apply<TSimd, TVec>(c42, t.Bias2, t.Cols2, ref deferred, 4); } TSimd.StoreFirst(c42, ref Unsafe.Add(ref c, 4 * ldc + (2 * w)), t.Cols2, ref scratch); }
        if (TRows.Count > 4) { if (t.Last) { c50 = TEpi.Apply<TSimd, TVec>(c50, t.Bias0, t.Cols0, ref deferred, 5); } TSimd.StoreFirst(c50, ref Unsafe.Add(ref c, 5 * ldc), t.Cols0, ref scratch); }
        if (TRows.Count > 4 && TPanels.Count > 1) { if (t.Last) { c51 = TEpi.Apply<TSimd, TVec>(c51, t.Bias1, t.Cols1, ref deferred, 5); } TSimd.StoreFirst(c51, ref Unsafe.Add(ref c, 5 * ldc + w), t.Cols1, ref scratch); }
        if (TRows.Count > 4 && TPanels.Count > 2) { if (t.Last) { c52 = TEpi.Apply<TSimd, TVec>(c52, t.Bias2, t.Cols2, ref deferred, 5); } TSimd.StoreFirst(c52, ref Unsafe.Add(ref c, 5 * ldc + (2 * w)), t.Cols2, ref scratch); }
        if (TRows.Count > 4) { if (t.Last) { c60 = TEpi.Apply<TSimd, TVec>(c60, t.Bias0, t.Cols0, ref deferred, 6); } TSimd.StoreFirst(c60, ref Unsafe.Add(ref c, 6 * ldc), t.Cols0, ref scratch); }
        if (TRows.Count > 4 && TPanels.Count > 1) { if (t.Last) { c61 = TEpi.Apply<TSimd, TVec>(c61, t.Bias1, t.Cols1, ref deferred, 6); } TSimd.StoreFirst(c61, ref Unsafe.Add(ref c, 6 * ldc + w), t.Cols1, ref scratch); }
        if (TRows.Count > 4 && TPanels.Count > 2) { if (t.Last) { c62 = TEpi.Apply<TSimd, TVec>(c62, t.Bias2, t.Cols2, ref deferred, 6); } TSimd.StoreFirst(c62, ref Unsafe.Add(ref c, 6 * ldc + (2 * w)), t.Cols2, ref scratch); }
        if (TRows.Count > 4) { if (t.Last) { c70 = TEpi.Apply<TSimd, TVec>(c70, t.Bias0, t.Cols0, ref deferred, 7); } TSimd.StoreFirst(c70, ref Unsafe.Add(ref c, 7 * ldc), t.Cols0, ref scratch); }
        if (TRows.Count > 4 && TPanels.Count > 1) { if (t.Last) { c71 = TEpi.Apply<TSimd, TVec>(c71, t.Bias1, t.Cols1, ref deferred, 7); } TSimd.StoreFirst(c71, ref Unsafe.Add(ref c, 7 * ldc + w), t.Cols1, ref scratch); }
        if (TRows.Count > 4 && TPanels.Count > 2) { if (t.Last) { c72 = TEpi.Apply<TSimd, TVec>(c72, t.Bias2, t.Cols2, ref deferred, 7); } TSimd.StoreFirst(c72, ref Unsafe.Add(ref c, 7 * ldc + (2 * w)), t.Cols2, ref scratch); }
        Debug.Assert(deferred == 0, "an element-wise epilogue defers nothing");
    }
}

/// <summary>What a tile needs besides its three pointers: strides, depth, real columns per panel, the bias vectors, and where it sits in the depth blocks.</summary>
internal readonly struct TileArgs<TVec>(int lda, int ldc, int depth, int panelStride, int cols0, int cols1, int cols2, TVec bias0, TVec bias1, TVec bias2, bool first, bool last)
    where TVec : struct
{
    public readonly int Lda = lda;
    public readonly int Ldc = ldc;
    public readonly int Depth = depth;
    public readonly int PanelStride = panelStride;
    public readonly int Cols0 = cols0;
    public readonly int Cols1 = cols1;
    public readonly int Cols2 = cols2;
    public readonly TVec Bias0 = bias0;
    public readonly TVec Bias1 = bias1;
    public readonly TVec Bias2 = bias2;
    public readonly bool First = first;
    public readonly bool Last = last;
}
