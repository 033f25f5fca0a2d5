using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using NnSimd.Internal;

namespace NnSimd.Kernels;

/// <summary>The micro-kernel for one row: the last 0..3 rows of a row block, and every row of a batch smaller than 4.</summary>
internal static class RowKernel
{
    // a: [1, depth] (one row of A from kc0), b: panels j0.. (depth x NR each), c: [1, n]; c[j0 NR ..] = epilogue(a . b + bias).
    /// <summary>
    /// The single-row micro-kernel: one row of A times TPanels consecutive panels, starting at panel j0, into
    /// row c. Same contract as <see cref="MicroKernel.Tile"/>; each element is the same FMA chain over k as in a row tile,
    /// so a row's result does not depend on which kernel computed it.
    /// </summary>
    [SkipLocalsInit]
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Run<TSimd, TVec, TEpi, TPanels, TOrder>(
        ref float a, PackedMatrix b, int j0, int kc0, int depth, Steps steps, ref float c, ReadOnlySpan<float> bias, bool first, bool last, ref float scratch)
        where TSimd : struct, ISimd<TVec>
        where TVec : struct
        where TEpi : IEpilogue
        where TPanels : IRowCount
        where TOrder : IStepOrder
    {
        Debug.Assert(depth > 0 && j0 + TPanels.Count <= b.Panels && kc0 + depth <= b.Rows && steps.Count <= depth, "the row's panels, depth and steps lie inside B");
        int w = TSimd.Count;
        int n = b.Columns;
        int col0 = j0 * w;
        int cols0 = Math.Min(w, n - col0);
        int cols1 = Math.Min(w, n - col0 - w);
        int cols2 = Math.Min(w, n - col0 - 2 * w);
        int cols3 = Math.Min(w, n - col0 - 3 * w);
        ref float c1 = ref Unsafe.Add(ref c, col0 + w);
        ref float c2 = ref Unsafe.Add(ref c, col0 + 2 * w);
        ref float c3 = ref Unsafe.Add(ref c, col0 + 3 * w);
        ref float cz = ref Unsafe.Add(ref c, col0);
        ref float p0 = ref Unsafe.Add(ref b.Panel(j0), kc0 * w);
        ref float p1 = ref Unsafe.Add(ref p0, TPanels.Count > 1 ? b.Rows * w : 0);
        ref float p2 = ref Unsafe.Add(ref p0, TPanels.Count > 2 ? 2 * b.Rows * w : 0);
        ref float p3 = ref Unsafe.Add(ref p0, TPanels.Count > 3 ? 3 * b.Rows * w : 0);
        TVec s0 = TSimd.Zero, s1 = TSimd.Zero, s2 = TSimd.Zero, s3 = TSimd.Zero;
        if (!first)
        {
            s0 = TSimd.LoadFirst(ref cz, cols0, ref scratch);
            if (TPanels.Count > 1) { s1 = TSimd.LoadFirst(ref c1, cols1, ref scratch); }
            if (TPanels.Count > 2) { s2 = TSimd.LoadFirst(ref c2, cols2, ref scratch); }
            if (TPanels.Count > 3) { s3 = TSimd.LoadFirst(ref c3, cols3, ref scratch); }
        }

        // With a list (ListedSteps), only the steps of k where the row is not zero (NonZeroSteps): the others leave
        // every sum's bits as they are.
        ref int step = ref steps.First;
        int count = TOrder.Listed ? steps.Count : depth;
        for (int s = 0; s < count; s++)
        {
            int p = (int)TOrder.At(ref step, s);
            TVec av = TSimd.Broadcast(Unsafe.Add(ref a, p));
            s0 = TSimd.MulAdd(av, TSimd.Load(ref Unsafe.Add(ref p0, p * w)), s0);
            if (TPanels.Count > 1) { s1 = TSimd.MulAdd(av, TSimd.Load(ref Unsafe.Add(ref p1, p * w)), s1); }
            if (TPanels.Count > 2) { s2 = TSimd.MulAdd(av, TSimd.Load(ref Unsafe.Add(ref p2, p * w)), s2); }
            if (TPanels.Count > 3) { s3 = TSimd.MulAdd(av, TSimd.Load(ref Unsafe.Add(ref p3, p * w)), s3); }
        }

        int deferred = 0;
        if (last)
        {
            // Without a bias the sums go through a zero vector: adding +0 leaves every sum as it is (a sum that starts
            // at +0 is never -0), so fused and unfused layers give the same bits.
            bool hasBias = !bias.IsEmpty;
            ref float b0 = ref MemoryMarshal.GetReference(bias);
            s0 = TEpi.Apply<TSimd, TVec>(s0, hasBias ? TSimd.LoadFirst(ref Unsafe.Add(ref b0, col0), cols0, ref scratch) : TSimd.Zero, cols0, ref deferred, 0);
            if (TPanels.Count > 1) { s1 = TEpi.Apply<TSimd, TVec>(s1, hasBias ? TSimd.LoadFirst(ref Unsafe.Add(ref b0, col0 + w), cols1, ref scratch) : TSimd.Zero, cols1, ref deferred, 0); }
            if (TPanels.Count > 2) { s2 = TEpi.Apply<TSimd, TVec>(s2, hasBias ? TSimd.LoadFirst(ref Unsafe.Add(ref b0, col0 + 2 * w), cols2, ref scratch) : TSimd.Zero, cols2, ref deferred, 0); }
            if (TPanels.Count > 3) { s3 = TEpi.Apply<TSimd, TVec>(s3, hasBias ? TSimd.LoadFirst(ref Unsafe.Add(ref b0, col0 + 3 * w), cols3, ref scratch) : TSimd.Zero, cols3, ref deferred, 0); }
        }

        TSimd.StoreFirst(s0, ref cz, cols0, ref scratch);
        if (TPanels.Count > 1) { TSimd.StoreFirst(s1, ref c1, cols1, ref scratch); }
        if (TPanels.Count > 2) { TSimd.StoreFirst(s2, ref c2, cols2, ref scratch); }
        if (TPanels.Count > 3) { TSimd.StoreFirst(s3, ref c3, cols3, ref scratch); }
        if (deferred != 0)
        {
            TEpi.Finish(ref cz, 0, cols0, deferred); // a row-wise epilogue has one panel: the row is cz[0..cols0)
        }
    }
}
