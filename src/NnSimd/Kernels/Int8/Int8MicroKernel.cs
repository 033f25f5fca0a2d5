using System.Diagnostics;
using System.Runtime.CompilerServices;
using NnSimd.Internal;

namespace NnSimd.Kernels;

/// <summary>The int8 micro-kernel: up to 4 rows of A times up to 2 panels of Q, 8 int32 accumulators.</summary>
internal static class Int8MicroKernel
{
    /// <summary>
    /// a: [TRows, k] bytes (stride k); panel: TPanels panels of [Steps][Lanes][Group] weights, PanelBytes apart;
    /// c: [TRows, n] (stride Ldc) from column <paramref name="col"/>; rowScale: TRows scales, <paramref name="rowScaleStep"/>
    /// apart (0: one for all rows). C is written once, never read.
    /// </summary>
    [SkipLocalsInit]
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Tile<TDot, TAcc, TSimd, TVec, TEpi, TRows, TPanels>(
        ref byte a, ref byte panel, int col, ref float c, ref float rowScale, int rowScaleStep, Int8TileArgs t)
        where TDot : IDot<TAcc, TVec>
        where TAcc : struct
        where TSimd : struct, ISimd<TVec>
        where TVec : struct
        where TEpi : IEpilogue
        where TRows : IRowCount
        where TPanels : IRowCount
    {
        int k = t.Depth;
        int g = TDot.Group;
        int step = TDot.Lanes * g * TDot.ElementBytes;
        TAcc c00 = TDot.Zero, c01 = TDot.Zero;
        TAcc c10 = TDot.Zero, c11 = TDot.Zero;
        TAcc c20 = TDot.Zero, c21 = TDot.Zero;
        TAcc c30 = TDot.Zero, c31 = TDot.Zero;
        ref byte a1 = ref Unsafe.Add(ref a, TRows.Count > 1 ? k : 0);
        ref byte a2 = ref Unsafe.Add(ref a, TRows.Count > 1 ? 2 * k : 0);
        ref byte a3 = ref Unsafe.Add(ref a, TRows.Count > 1 ? 3 * k : 0);
        ref byte p1 = ref Unsafe.Add(ref panel, TPanels.Count > 1 ? t.PanelBytes : 0);
        // One step: each row's next group of k broadcast (x), each panel's weights for it (b0, b1):
        //           b0 (panel 0)          b1 (panel 1)
        //   row 0   c00 = dot(c00, x, b0)  c01 = dot(c01, x, b1)
        //   ...
        //   row 3   c30                    c31
        // The last group may be short: its missing bytes are read as 0 (and their weights are packed as 0).
        for (int q = 0, s = 0; q < k; q += g, s += step)
        {
            int count = Math.Min(g, k - q);
            TAcc b0 = TDot.Load(ref Unsafe.Add(ref panel, s));
            TAcc b1 = TPanels.Count > 1 ? TDot.Load(ref Unsafe.Add(ref p1, s)) : b0;
            TAcc x = TDot.Broadcast(ref Unsafe.Add(ref a, q), count);
            c00 = TDot.Dot(c00, x, b0);
            if (TPanels.Count > 1) { c01 = TDot.Dot(c01, x, b1); }
            if (TRows.Count > 1)
            {
                x = TDot.Broadcast(ref Unsafe.Add(ref a1, q), count);
                c10 = TDot.Dot(c10, x, b0);
                if (TPanels.Count > 1) { c11 = TDot.Dot(c11, x, b1); }
                x = TDot.Broadcast(ref Unsafe.Add(ref a2, q), count);
                c20 = TDot.Dot(c20, x, b0);
                if (TPanels.Count > 1) { c21 = TDot.Dot(c21, x, b1); }
                x = TDot.Broadcast(ref Unsafe.Add(ref a3, q), count);
                c30 = TDot.Dot(c30, x, b0);
                if (TPanels.Count > 1) { c31 = TDot.Dot(c31, x, b1); }
            }
        }

        int lanes = TDot.Lanes;
        int n = t.Ldc;
        int cols0 = Math.Min(lanes, n - col);
        int cols1 = TPanels.Count > 1 ? Math.Min(lanes, n - col - lanes) : 0;
        ref float scratch = ref t.Scratch;
        TVec cs0 = TSimd.LoadFirst(ref Unsafe.Add(ref t.ColScales, col), cols0, ref scratch);
        TVec cs1 = TPanels.Count > 1 ? TSimd.LoadFirst(ref Unsafe.Add(ref t.ColScales, col + lanes), cols1, ref scratch) : cs0;
        TVec bias0 = t.HasBias ? TSimd.LoadFirst(ref Unsafe.Add(ref t.Bias, col), cols0, ref scratch) : TSimd.Zero;
        TVec bias1 = t.HasBias && TPanels.Count > 1 ? TSimd.LoadFirst(ref Unsafe.Add(ref t.Bias, col + lanes), cols1, ref scratch) : TSimd.Zero;
        ref float out0 = ref Unsafe.Add(ref c, col);
        int deferred = 0;
        if (default(TEpi) is IRowWiseEpilogue)
        {
            // Softmax: one panel; every row finished before any store, so the rows' reductions overlap (as in the
            // fp32 tile, where finishing row by row took twice as long).
            Debug.Assert(TPanels.Count == 1, "a row-wise epilogue needs each row in one panel");
            TVec v0 = TEpi.Apply<TSimd, TVec>(Scaled<TDot, TAcc, TSimd, TVec>(c00, TSimd.Broadcast(rowScale), cs0), bias0, cols0, ref deferred, 0);
            TVec v1 = v0, v2 = v0, v3 = v0;
            if (TRows.Count > 1)
            {
                v1 = TEpi.Apply<TSimd, TVec>(Scaled<TDot, TAcc, TSimd, TVec>(c10, TSimd.Broadcast(Unsafe.Add(ref rowScale, rowScaleStep)), cs0), bias0, cols0, ref deferred, 1);
                v2 = TEpi.Apply<TSimd, TVec>(Scaled<TDot, TAcc, TSimd, TVec>(c20, TSimd.Broadcast(Unsafe.Add(ref rowScale, 2 * rowScaleStep)), cs0), bias0, cols0, ref deferred, 2);
                v3 = TEpi.Apply<TSimd, TVec>(Scaled<TDot, TAcc, TSimd, TVec>(c30, TSimd.Broadcast(Unsafe.Add(ref rowScale, 3 * rowScaleStep)), cs0), bias0, cols0, ref deferred, 3);
            }

            TSimd.StoreFirst(v0, ref out0, cols0, ref scratch);
            if (TRows.Count > 1)
            {
                TSimd.StoreFirst(v1, ref Unsafe.Add(ref out0, n), cols0, ref scratch);
                TSimd.StoreFirst(v2, ref Unsafe.Add(ref out0, 2 * n), cols0, ref scratch);
                TSimd.StoreFirst(v3, ref Unsafe.Add(ref out0, 3 * n), cols0, ref scratch);
            }

            if (deferred != 0)
            {
                TEpi.Finish(ref out0, n, cols0, deferred);
            }

            return;
        }

        TVec rs = TSimd.Broadcast(rowScale);
        Finish<TDot, TAcc, TSimd, TVec, TEpi>(c00, rs, cs0, bias0, cols0, ref out0, ref deferred, 0, ref scratch);
        if (TPanels.Count > 1) { Finish<TDot, TAcc, TSimd, TVec, TEpi>(c01, rs, cs1, bias1, cols1, ref Unsafe.Add(ref out0, lanes), ref deferred, 0, ref scratch); }
        if (TRows.Count > 1)
        {
            rs = TSimd.Broadcast(Unsafe.Add(ref rowScale, rowScaleStep));
            Finish<TDot, TAcc, TSimd, TVec, TEpi>(c10, rs, cs0, bias0, cols0, ref Unsafe.Add(ref out0, n), ref deferred, 1, ref scratch);
            if (TPanels.Count > 1) { Finish<TDot, TAcc, TSimd, TVec, TEpi>(c11, rs, cs1, bias1, cols1, ref Unsafe.Add(ref out0, n + lanes), ref deferred, 1, ref scratch); }
            rs = TSimd.Broadcast(Unsafe.Add(ref rowScale, 2 * rowScaleStep));
            Finish<TDot, TAcc, TSimd, TVec, TEpi>(c20, rs, cs0, bias0, cols0, ref Unsafe.Add(ref out0, 2 * n), ref deferred, 2, ref scratch);
            if (TPanels.Count > 1) { Finish<TDot, TAcc, TSimd, TVec, TEpi>(c21, rs, cs1, bias1, cols1, ref Unsafe.Add(ref out0, (2 * n) + lanes), ref deferred, 2, ref scratch); }
            rs = TSimd.Broadcast(Unsafe.Add(ref rowScale, 3 * rowScaleStep));
            Finish<TDot, TAcc, TSimd, TVec, TEpi>(c30, rs, cs0, bias0, cols0, ref Unsafe.Add(ref out0, 3 * n), ref deferred, 3, ref scratch);
            if (TPanels.Count > 1) { Finish<TDot, TAcc, TSimd, TVec, TEpi>(c31, rs, cs1, bias1, cols1, ref Unsafe.Add(ref out0, (3 * n) + lanes), ref deferred, 3, ref scratch); }
        }

        Debug.Assert(deferred == 0, "an element-wise epilogue defers nothing");
    }

    /// <summary>float(sum) (row scale x column scale): two roundings, unfused, the same on every strategy.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static TVec Scaled<TDot, TAcc, TSimd, TVec>(TAcc sum, TVec rowScale, TVec colScale)
        where TDot : IDot<TAcc, TVec>
        where TAcc : struct
        where TSimd : struct, ISimd<TVec>
        where TVec : struct => TSimd.Multiply(TDot.ToFloat(sum), TSimd.Multiply(rowScale, colScale));

    /// <summary>float(sum) (row scale x column scale), then the epilogue, then the store of the real columns.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Finish<TDot, TAcc, TSimd, TVec, TEpi>(
        TAcc sum, TVec rowScale, TVec colScale, TVec bias, int cols, ref float destination, ref int deferred, int row, ref float scratch)
        where TDot : IDot<TAcc, TVec>
        where TAcc : struct
        where TSimd : struct, ISimd<TVec>
        where TVec : struct
        where TEpi : IEpilogue
    {
        TVec v = Scaled<TDot, TAcc, TSimd, TVec>(sum, rowScale, colScale);
        TSimd.StoreFirst(TEpi.Apply<TSimd, TVec>(v, bias, cols, ref deferred, row), ref destination, cols, ref scratch);
    }
}
