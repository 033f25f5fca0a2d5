using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using NnSimd.Internal;

namespace NnSimd.Kernels;

/// <summary>
/// The int8 kernel for one row of A (a batch of one, and the rows left below a tile): TPanels (8, 4, 2 or 1) panels
/// with 8 accumulators whatever the panel count, so the sums never wait on VPDPBUSD's latency. Accumulator i sums
/// panel i % TPanels over the steps i / TPanels, + 8 / TPanels, ...; the partial sums of a panel are added at the end
/// (integers: exact, so the result is the tile's bit for bit). With a list (ListedSteps) it takes only the groups where
/// the row is not zero (72% of an MNIST image's groups are all zero): a book-shaped all-int8 network at batch 1 took
/// 0.528 us per image instead of 0.661 on MNIST; the loop over every group is left as it was (a first version that
/// shared one indexed loop was 17-20% slower on dense rows).
/// </summary>
internal static class Int8RowKernel
{
    /// <summary>
    /// a: [1, k] bytes (<paramref name="available"/> bytes of A readable from it on); panel: step 0 of TPanels adjacent
    /// panels (steps StepBytes apart); c: [1, n] from column <paramref name="col"/>. C is written once, never read.
    /// </summary>
    [SkipLocalsInit]
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Row<TDot, TAcc, TSimd, TVec, TEpi, TPanels, TOrder>(ref byte a, int available, ref byte panel, int col, ref float c, float rowScale, Int8TileArgs t, Steps groups = default)
        where TDot : IDot<TAcc, TVec>
        where TAcc : struct
        where TSimd : struct, ISimd<TVec>
        where TVec : struct
        where TEpi : IEpilogue
        where TPanels : IRowCount
        where TOrder : IStepOrder
    {
        int p = TPanels.Count;
        Debug.Assert(p is 1 or 2 or 4 or 8, "8 accumulators over 8, 4, 2 or 1 panels");
        int k = t.Depth;
        int g = TDot.Group;
        int w = TDot.Lanes * g * TDot.ElementBytes;
        int steps = 8 / p;      // steps per iteration: each panel's 8 / p accumulators take one each
        int chunk = steps * g;  // bytes of A per iteration
        TAcc c0 = TDot.Zero, c1 = TDot.Zero, c2 = TDot.Zero, c3 = TDot.Zero;
        TAcc c4 = TDot.Zero, c5 = TDot.Zero, c6 = TDot.Zero, c7 = TDot.Zero;
        int whole = k - (k % chunk);

        // Pass 0 runs over the whole iterations; pass 1, if any of A is left, once more over the rest, read whole
        // (in place, or from a zero-padded copy at A's end; the packed steps are a multiple of 8, so its weights
        // exist and are 0 past k).
        ref byte x = ref a;
        ref byte bp = ref panel;
        nint sb = t.StepBytes;
        int iterations = whole / chunk;
        if (TOrder.Listed)
        {
            // Only the listed groups before `whole`, those where the row is not zero (NonZeroSteps; integer sums, so
            // leaving out the others is exact): whole iterations as below, each group from the list, then the rest of
            // the list one group at a time into the first p accumulators; pass 1 below takes what A has past whole.
            ref int list = ref groups.First;
            int entries = groups.Count;
            while (entries > 0 && Unsafe.Add(ref list, entries - 1) >= whole / g)
            {
                entries--;
            }

            int e = 0;
            for (; e + steps <= entries; e += steps)
            {
                nint q0 = Unsafe.Add(ref list, e);
                nint q1 = steps > 1 ? Unsafe.Add(ref list, e + 1) : q0;
                nint q2 = steps > 2 ? Unsafe.Add(ref list, e + 2) : q0;
                nint q3 = steps > 3 ? Unsafe.Add(ref list, e + 3) : q0;
                nint q4 = steps > 4 ? Unsafe.Add(ref list, e + 4) : q0;
                nint q5 = steps > 5 ? Unsafe.Add(ref list, e + 5) : q0;
                nint q6 = steps > 6 ? Unsafe.Add(ref list, e + 6) : q0;
                nint q7 = steps > 7 ? Unsafe.Add(ref list, e + 7) : q0;
                TAcc x0 = TDot.Broadcast(ref Unsafe.Add(ref a, q0 * g));
                TAcc x1 = steps > 1 ? TDot.Broadcast(ref Unsafe.Add(ref a, q1 * g)) : x0;
                TAcc x2 = steps > 2 ? TDot.Broadcast(ref Unsafe.Add(ref a, q2 * g)) : x0;
                TAcc x3 = steps > 3 ? TDot.Broadcast(ref Unsafe.Add(ref a, q3 * g)) : x0;
                TAcc x4 = steps > 4 ? TDot.Broadcast(ref Unsafe.Add(ref a, q4 * g)) : x0;
                TAcc x5 = steps > 5 ? TDot.Broadcast(ref Unsafe.Add(ref a, q5 * g)) : x0;
                TAcc x6 = steps > 6 ? TDot.Broadcast(ref Unsafe.Add(ref a, q6 * g)) : x0;
                TAcc x7 = steps > 7 ? TDot.Broadcast(ref Unsafe.Add(ref a, q7 * g)) : x0;
                c0 = TDot.Dot(c0, x0, TDot.Load(ref Unsafe.Add(ref panel, q0 * sb)));
                c1 = TDot.Dot(c1, p > 1 ? x0 : x1, TDot.Load(ref Unsafe.Add(ref panel, ((p > 1 ? q0 : q1) * sb) + (1 % p * w))));
                c2 = TDot.Dot(c2, p > 2 ? x0 : p == 2 ? x1 : x2, TDot.Load(ref Unsafe.Add(ref panel, ((p > 2 ? q0 : p == 2 ? q1 : q2) * sb) + (2 % p * w))));
                c3 = TDot.Dot(c3, p > 2 ? x0 : p == 2 ? x1 : x3, TDot.Load(ref Unsafe.Add(ref panel, ((p > 2 ? q0 : p == 2 ? q1 : q3) * sb) + (3 % p * w))));
                c4 = TDot.Dot(c4, p > 4 ? x0 : p == 4 ? x1 : p == 2 ? x2 : x4, TDot.Load(ref Unsafe.Add(ref panel, ((p > 4 ? q0 : p == 4 ? q1 : p == 2 ? q2 : q4) * sb) + (4 % p * w))));
                c5 = TDot.Dot(c5, p > 4 ? x0 : p == 4 ? x1 : p == 2 ? x2 : x5, TDot.Load(ref Unsafe.Add(ref panel, ((p > 4 ? q0 : p == 4 ? q1 : p == 2 ? q2 : q5) * sb) + (5 % p * w))));
                c6 = TDot.Dot(c6, p > 4 ? x0 : p == 4 ? x1 : p == 2 ? x3 : x6, TDot.Load(ref Unsafe.Add(ref panel, ((p > 4 ? q0 : p == 4 ? q1 : p == 2 ? q3 : q6) * sb) + (6 % p * w))));
                c7 = TDot.Dot(c7, p > 4 ? x0 : p == 4 ? x1 : p == 2 ? x3 : x7, TDot.Load(ref Unsafe.Add(ref panel, ((p > 4 ? q0 : p == 4 ? q1 : p == 2 ? q3 : q7) * sb) + (7 % p * w))));
            }

            for (; e < entries; e++)
            {
                nint q = Unsafe.Add(ref list, e);
                TAcc xq = TDot.Broadcast(ref Unsafe.Add(ref a, q * g));
                ref byte bq = ref Unsafe.Add(ref panel, q * sb);
                c0 = TDot.Dot(c0, xq, TDot.Load(ref bq));
                if (p > 1) { c1 = TDot.Dot(c1, xq, TDot.Load(ref Unsafe.Add(ref bq, w))); }
                if (p > 2) { c2 = TDot.Dot(c2, xq, TDot.Load(ref Unsafe.Add(ref bq, 2 * w))); c3 = TDot.Dot(c3, xq, TDot.Load(ref Unsafe.Add(ref bq, 3 * w))); }
                if (p > 4)
                {
                    c4 = TDot.Dot(c4, xq, TDot.Load(ref Unsafe.Add(ref bq, 4 * w)));
                    c5 = TDot.Dot(c5, xq, TDot.Load(ref Unsafe.Add(ref bq, 5 * w)));
                    c6 = TDot.Dot(c6, xq, TDot.Load(ref Unsafe.Add(ref bq, 6 * w)));
                    c7 = TDot.Dot(c7, xq, TDot.Load(ref Unsafe.Add(ref bq, 7 * w)));
                }
            }

            iterations = 0;
            x = ref Unsafe.Add(ref a, whole);
            bp = ref Unsafe.Add(ref panel, whole / g * sb);
        }

        for (int pass = 0; pass < 2; pass++)
        {
            for (int left = iterations; left > 0; left--)
            {
                // Step u of this iteration: x_u, the broadcast of A's group u; accumulator i takes x_(i / p) and the
                // weights of panel i % p at step i / p.
                TAcc x0 = TDot.Broadcast(ref x);
                TAcc x1 = steps > 1 ? TDot.Broadcast(ref Unsafe.Add(ref x, g)) : x0;
                TAcc x2 = steps > 2 ? TDot.Broadcast(ref Unsafe.Add(ref x, 2 * g)) : x0;
                TAcc x3 = steps > 3 ? TDot.Broadcast(ref Unsafe.Add(ref x, 3 * g)) : x0;
                TAcc x4 = steps > 4 ? TDot.Broadcast(ref Unsafe.Add(ref x, 4 * g)) : x0;
                TAcc x5 = steps > 5 ? TDot.Broadcast(ref Unsafe.Add(ref x, 5 * g)) : x0;
                TAcc x6 = steps > 6 ? TDot.Broadcast(ref Unsafe.Add(ref x, 6 * g)) : x0;
                TAcc x7 = steps > 7 ? TDot.Broadcast(ref Unsafe.Add(ref x, 7 * g)) : x0;
                c0 = TDot.Dot(c0, x0, TDot.Load(ref bp));
                c1 = TDot.Dot(c1, p > 1 ? x0 : x1, TDot.Load(ref Unsafe.Add(ref bp, (1 / p * sb) + (1 % p * w))));
                c2 = TDot.Dot(c2, p > 2 ? x0 : p == 2 ? x1 : x2, TDot.Load(ref Unsafe.Add(ref bp, (2 / p * sb) + (2 % p * w))));
                c3 = TDot.Dot(c3, p > 2 ? x0 : p == 2 ? x1 : x3, TDot.Load(ref Unsafe.Add(ref bp, (3 / p * sb) + (3 % p * w))));
                c4 = TDot.Dot(c4, p > 4 ? x0 : p == 4 ? x1 : p == 2 ? x2 : x4, TDot.Load(ref Unsafe.Add(ref bp, (4 / p * sb) + (4 % p * w))));
                c5 = TDot.Dot(c5, p > 4 ? x0 : p == 4 ? x1 : p == 2 ? x2 : x5, TDot.Load(ref Unsafe.Add(ref bp, (5 / p * sb) + (5 % p * w))));
                c6 = TDot.Dot(c6, p > 4 ? x0 : p == 4 ? x1 : p == 2 ? x3 : x6, TDot.Load(ref Unsafe.Add(ref bp, (6 / p * sb) + (6 % p * w))));
                c7 = TDot.Dot(c7, p > 4 ? x0 : p == 4 ? x1 : p == 2 ? x3 : x7, TDot.Load(ref Unsafe.Add(ref bp, (7 / p * sb) + (7 % p * w))));
                x = ref Unsafe.Add(ref x, chunk);
                bp = ref Unsafe.Add(ref bp, steps * sb);
            }

            if (pass == 1 || whole == k)
            {
                break;
            }

            if (whole + chunk <= available)
            {
                x = ref Unsafe.Add(ref a, whole); // the rest and what follows it are still A: read in place
            }
            else
            {
                Int8Tail.Copy(ref a, k, whole, 1, chunk, ref t.Tail);
                x = ref t.Tail;
            }

            iterations = 1;
        }

        // Each panel's partial sums into accumulator i < p.
        if (p == 4)
        {
            c0 = TDot.Add(c0, c4);
            c1 = TDot.Add(c1, c5);
            c2 = TDot.Add(c2, c6);
            c3 = TDot.Add(c3, c7);
        }
        else if (p == 2)
        {
            c0 = TDot.Add(TDot.Add(c0, c2), TDot.Add(c4, c6));
            c1 = TDot.Add(TDot.Add(c1, c3), TDot.Add(c5, c7));
        }
        else if (p == 1)
        {
            c0 = TDot.Add(TDot.Add(TDot.Add(c0, c1), TDot.Add(c2, c3)), TDot.Add(TDot.Add(c4, c5), TDot.Add(c6, c7)));
        }

        int lanes = TDot.Lanes;
        ref float out0 = ref Unsafe.Add(ref c, col);
        int deferred = 0;
        if (default(TEpi) is IRowWiseEpilogue && p == 2 && TDot.Lanes == 8)
        {
            // Softmax over two 8-lane panels, as one 512-bit vector (Int8Finish.Wide), as the tile finishes it.
            int cols = Math.Min(2 * lanes, t.Ldc - col);
            (Vector512<float> wideScale, Vector512<float> wideBias) = Int8Finish.WideColumns(t, col, cols);
            Simd512.StoreFirst(Int8Finish.Wide<TDot, TAcc, TVec, TEpi>(c0, c1, rowScale, wideScale, wideBias, cols, ref deferred, 0), ref out0, cols, ref t.Scratch);
            if (deferred != 0)
            {
                TEpi.Finish(ref out0, t.Ldc, cols, deferred);
            }

            return;
        }

        Store<TDot, TAcc, TSimd, TVec, TEpi>(c0, rowScale, col, t, ref out0, ref deferred);
        if (p > 1) { Store<TDot, TAcc, TSimd, TVec, TEpi>(c1, rowScale, col + lanes, t, ref Unsafe.Add(ref out0, lanes), ref deferred); }
        if (p > 2)
        {
            Store<TDot, TAcc, TSimd, TVec, TEpi>(c2, rowScale, col + (2 * lanes), t, ref Unsafe.Add(ref out0, 2 * lanes), ref deferred);
            Store<TDot, TAcc, TSimd, TVec, TEpi>(c3, rowScale, col + (3 * lanes), t, ref Unsafe.Add(ref out0, 3 * lanes), ref deferred);
        }

        if (p > 4)
        {
            Store<TDot, TAcc, TSimd, TVec, TEpi>(c4, rowScale, col + (4 * lanes), t, ref Unsafe.Add(ref out0, 4 * lanes), ref deferred);
            Store<TDot, TAcc, TSimd, TVec, TEpi>(c5, rowScale, col + (5 * lanes), t, ref Unsafe.Add(ref out0, 5 * lanes), ref deferred);
            Store<TDot, TAcc, TSimd, TVec, TEpi>(c6, rowScale, col + (6 * lanes), t, ref Unsafe.Add(ref out0, 6 * lanes), ref deferred);
            Store<TDot, TAcc, TSimd, TVec, TEpi>(c7, rowScale, col + (7 * lanes), t, ref Unsafe.Add(ref out0, 7 * lanes), ref deferred);
        }

        if (deferred != 0)
        {
            // Softmax (one panel, row 0) whose maximum was not finite.
            TEpi.Finish(ref out0, t.Ldc, Math.Min(lanes, t.Ldc - col), deferred);
        }
    }

    /// <summary>The panel at column <paramref name="col"/>: its scales and bias, the epilogue, the store of its real columns.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Store<TDot, TAcc, TSimd, TVec, TEpi>(TAcc sum, float rowScale, int col, Int8TileArgs t, ref float destination, ref int deferred)
        where TDot : IDot<TAcc, TVec>
        where TAcc : struct
        where TSimd : struct, ISimd<TVec>
        where TVec : struct
        where TEpi : IEpilogue
    {
        int cols = Math.Min(TDot.Lanes, t.Ldc - col);
        ref float scratch = ref t.Scratch;
        TVec colScale = TSimd.LoadFirst(ref Unsafe.Add(ref t.ColScales, col), cols, ref scratch);
        TVec bias = t.HasBias ? TSimd.LoadFirst(ref Unsafe.Add(ref t.Bias, col), cols, ref scratch) : TSimd.Zero;
        TSimd.StoreFirst(Int8Finish.Value<TDot, TAcc, TSimd, TVec, TEpi>(sum, rowScale, colScale, bias, cols, ref deferred, 0), ref destination, cols, ref scratch);
    }
}
