using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using NnSimd.Internal;

namespace NnSimd.Kernels;

/// <summary>
/// The products of a dense layer's backward pass that <see cref="Gemm"/> does not cover:
/// dW = X^T . dZ (weight gradient) and db = column sums of dZ. (dX = dZ . W^T is a <see cref="Gemm"/> product
/// against the packed transpose of W.) Every element is summed over the batch rows in order, so results do not
/// depend on how work is split.
/// </summary>
public static class GemmBackward
{
    /// <summary>
    /// dw: [k x n] = x^T . dz, with x: [m x k] and dz: [m x n] row-major; rows <paramref name="p0"/> up to
    /// <paramref name="p1"/> of dw only (so threads can split the rows of dw; the full range by default).
    /// </summary>
    public static void TransposeMultiply(ReadOnlySpan<float> x, int m, int k, ReadOnlySpan<float> dz, int n, Span<float> dw, int p0 = 0, int p1 = -1)
    {
        Guard.Positive(m, nameof(m));
        Guard.Positive(k, nameof(k));
        Guard.Positive(n, nameof(n));
        Guard.Shape(x, m, k, nameof(x));
        Guard.Shape(dz, m, n, nameof(dz));
        Guard.Shape(dw, k, n, nameof(dw));
        p1 = p1 < 0 ? k : p1;
        if (p0 < 0 || p1 > k || p0 > p1)
        {
            Guard.ThrowArgument($"rows {p0}..{p1} are outside 0..{k}.", nameof(p0));
        }

        var call = new TransposeMultiplyCall(x, m, k, dz, n, dw, p0, p1);
        VectorDispatch.Run(ref call);
    }

    private readonly ref struct TransposeMultiplyCall(ReadOnlySpan<float> x, int m, int k, ReadOnlySpan<float> dz, int n, Span<float> dw, int p0, int p1)
        : IVectorKernel
    {
        private readonly ReadOnlySpan<float> _x = x;
        private readonly ReadOnlySpan<float> _dz = dz;
        private readonly Span<float> _dw = dw;

        public void Run<TSimd, TVec>()
            where TSimd : struct, ISimd<TVec>
            where TVec : struct
        {
            if (TSimd.Registers >= 32)
            {
                TransposeMultiplyWide<TSimd, TVec>(_x, m, k, _dz, n, _dw, p0, p1);
            }
            else
            {
                TransposeMultiplyNarrow<TSimd, TVec>(_x, m, k, _dz, n, _dw, p0, p1, 0, n);
            }
        }
    }

    /// <summary>db: [n] = the column sums of dz: [m x n], summed over rows in order.</summary>
    public static void ColumnSums(ReadOnlySpan<float> dz, int m, int n, Span<float> db)
    {
        Guard.Shape(dz, m, n, nameof(dz));
        Guard.Length(db, n, nameof(db));
        db.Clear();
        for (int r = 0; r < m; r++)
        {
            // Row by row, the columns in the lanes: each sum still adds its rows in order.
            TensorPrimitives.Add(db, dz.Slice(r * n, n), db);
        }
    }

    /// <summary>
    /// The tile for 16 vector registers (AVX2, SSE), and for the edges the wide tile leaves: four rows of dw
    /// (p..p+3) by two column vectors (j..j+2w) of columns <paramref name="j0"/> up to <paramref name="j1"/>,
    /// eight accumulators, each fed by a broadcast of x[r, p] and a vector of dz[r, j..]; the loop runs over the
    /// batch rows r in order. A partial column vector is staged through a zero-padded scratch block, so every
    /// column goes through the vector code.
    /// </summary>
    [SkipLocalsInit]
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void TransposeMultiplyNarrow<TSimd, TVec>(ReadOnlySpan<float> x, int m, int k, ReadOnlySpan<float> dz, int n, Span<float> dw, int p0, int p1, int j0, int j1)
        where TSimd : struct, ISimd<TVec>
        where TVec : struct
    {
        ref float xs = ref MemoryMarshal.GetReference(x);
        ref float zs = ref MemoryMarshal.GetReference(dz);
        ref float ws = ref MemoryMarshal.GetReference(dw);
        Span<float> scratchSpan = stackalloc float[32];
        ref float scratch = ref MemoryMarshal.GetReference(scratchSpan);
        int w = TSimd.Count;
        for (int j = j0; j < j1; j += 2 * w)
        {
            int cols0 = Math.Min(w, j1 - j);
            int cols1 = Math.Clamp(j1 - j - w, 0, w);
            int p = p0;
            for (; p + 4 <= p1; p += 4)
            {
                NarrowBlock<TSimd, TVec>(ref Unsafe.Add(ref xs, p), m, k, ref Unsafe.Add(ref zs, j), n, ref Unsafe.Add(ref ws, p * n + j), cols0, cols1, 3, ref scratch);
            }

            // A last block of 1-3 rows repeats its last row in the missing ones (computed, then dropped): one row
            // alone would be two FMA chains waiting on their latency.
            if (p < p1)
            {
                NarrowBlock<TSimd, TVec>(ref Unsafe.Add(ref xs, p), m, k, ref Unsafe.Add(ref zs, j), n, ref Unsafe.Add(ref ws, p * n + j), cols0, cols1, p1 - p - 1, ref scratch);
            }
        }
    }

    /// <summary>
    /// One block of the narrow tile: rows 0..<paramref name="last"/> of dw from <paramref name="d"/>, x from column
    /// <paramref name="xs"/>, dz from column <paramref name="zs"/>. Inlined, so whole blocks (last = 3) compile
    /// with constant offsets.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void NarrowBlock<TSimd, TVec>(ref float xs, int m, int k, ref float zs, int n, ref float d, int cols0, int cols1, int last, ref float scratch)
        where TSimd : struct, ISimd<TVec>
        where TVec : struct
    {
        int w = TSimd.Count;
        int q1 = Math.Min(1, last), q2 = Math.Min(2, last), q3 = last;
        TVec a00 = TSimd.Zero, a01 = TSimd.Zero, a10 = TSimd.Zero, a11 = TSimd.Zero;
        TVec a20 = TSimd.Zero, a21 = TSimd.Zero, a30 = TSimd.Zero, a31 = TSimd.Zero;
        for (int r = 0; r < m; r++)
        {
            ref float zr = ref Unsafe.Add(ref zs, r * n);
            TVec g0 = TSimd.LoadFirst(ref zr, cols0, ref scratch);
            TVec g1 = cols1 > 0 ? TSimd.LoadFirst(ref Unsafe.Add(ref zr, w), cols1, ref Unsafe.Add(ref scratch, 16)) : TSimd.Zero;
            ref float xr = ref Unsafe.Add(ref xs, r * k);
            TVec x0 = TSimd.Broadcast(xr);
            TVec x1 = TSimd.Broadcast(Unsafe.Add(ref xr, q1));
            TVec x2 = TSimd.Broadcast(Unsafe.Add(ref xr, q2));
            TVec x3 = TSimd.Broadcast(Unsafe.Add(ref xr, q3));
            a00 = TSimd.MulAdd(x0, g0, a00);
            a10 = TSimd.MulAdd(x1, g0, a10);
            a20 = TSimd.MulAdd(x2, g0, a20);
            a30 = TSimd.MulAdd(x3, g0, a30);
            a01 = TSimd.MulAdd(x0, g1, a01);
            a11 = TSimd.MulAdd(x1, g1, a11);
            a21 = TSimd.MulAdd(x2, g1, a21);
            a31 = TSimd.MulAdd(x3, g1, a31);
        }

        StoreNarrowRow<TSimd, TVec>(a00, a01, ref d, cols0, cols1, ref scratch);
        if (last >= 1)
        {
            StoreNarrowRow<TSimd, TVec>(a10, a11, ref Unsafe.Add(ref d, n), cols0, cols1, ref scratch);
        }

        if (last >= 2)
        {
            StoreNarrowRow<TSimd, TVec>(a20, a21, ref Unsafe.Add(ref d, 2 * n), cols0, cols1, ref scratch);
        }

        if (last >= 3)
        {
            StoreNarrowRow<TSimd, TVec>(a30, a31, ref Unsafe.Add(ref d, 3 * n), cols0, cols1, ref scratch);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void StoreNarrowRow<TSimd, TVec>(TVec v0, TVec v1, ref float row, int cols0, int cols1, ref float scratch)
        where TSimd : struct, ISimd<TVec>
        where TVec : struct
    {
        TSimd.StoreFirst(v0, ref row, cols0, ref scratch);
        if (cols1 > 0)
        {
            TSimd.StoreFirst(v1, ref Unsafe.Add(ref row, TSimd.Count), cols1, ref scratch);
        }
    }

    /// <summary>
    /// The tile for 32 vector registers (AVX-512): eight rows of dw (p..p+7) by three whole column vectors
    /// (j..j+3w), 24 accumulators, each step of the batch loop 3 vector loads and 8 broadcasts for 24 FMAs (the
    /// forward micro-kernel's ratio; the 4 x 2 tile's 6 per 8 FMAs held training's weight gradient to about half
    /// the FMA peak on Zen 5). Only whole tiles run here, with no partial vector and no branch in the loop; the
    /// columns right of the last whole tile, and the rows below it, go to the narrow tile.
    /// </summary>
    [SkipLocalsInit]
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void TransposeMultiplyWide<TSimd, TVec>(ReadOnlySpan<float> x, int m, int k, ReadOnlySpan<float> dz, int n, Span<float> dw, int p0, int p1)
        where TSimd : struct, ISimd<TVec>
        where TVec : struct
    {
        int w = TSimd.Count;
        int pWhole = p0 + ((p1 - p0) / 8 * 8);
        int jWhole = n / (3 * w) * (3 * w);
        if (pWhole < p1)
        {
            TransposeMultiplyNarrow<TSimd, TVec>(x, m, k, dz, n, dw, pWhole, p1, 0, jWhole);
        }

        if (jWhole < n)
        {
            TransposeMultiplyNarrow<TSimd, TVec>(x, m, k, dz, n, dw, p0, p1, jWhole, n);
        }

        ref float xs = ref MemoryMarshal.GetReference(x);
        ref float zs = ref MemoryMarshal.GetReference(dz);
        ref float ws = ref MemoryMarshal.GetReference(dw);
        for (int j = 0; j < jWhole; j += 3 * w)
        {
            for (int p = p0; p < pWhole; p += 8)
            {
                TVec a00 = TSimd.Zero, a01 = TSimd.Zero, a02 = TSimd.Zero, a10 = TSimd.Zero, a11 = TSimd.Zero, a12 = TSimd.Zero;
                TVec a20 = TSimd.Zero, a21 = TSimd.Zero, a22 = TSimd.Zero, a30 = TSimd.Zero, a31 = TSimd.Zero, a32 = TSimd.Zero;
                TVec a40 = TSimd.Zero, a41 = TSimd.Zero, a42 = TSimd.Zero, a50 = TSimd.Zero, a51 = TSimd.Zero, a52 = TSimd.Zero;
                TVec a60 = TSimd.Zero, a61 = TSimd.Zero, a62 = TSimd.Zero, a70 = TSimd.Zero, a71 = TSimd.Zero, a72 = TSimd.Zero;
                ref float zr = ref Unsafe.Add(ref zs, j);
                ref float xr = ref Unsafe.Add(ref xs, p);
                for (int r = 0; r < m; r++)
                {
                    TVec g0 = TSimd.Load(ref zr);
                    TVec g1 = TSimd.Load(ref Unsafe.Add(ref zr, w));
                    TVec g2 = TSimd.Load(ref Unsafe.Add(ref zr, 2 * w));
                    TVec xv = TSimd.Broadcast(xr);
                    a00 = TSimd.MulAdd(xv, g0, a00);
                    a01 = TSimd.MulAdd(xv, g1, a01);
                    a02 = TSimd.MulAdd(xv, g2, a02);
                    xv = TSimd.Broadcast(Unsafe.Add(ref xr, 1));
                    a10 = TSimd.MulAdd(xv, g0, a10);
                    a11 = TSimd.MulAdd(xv, g1, a11);
                    a12 = TSimd.MulAdd(xv, g2, a12);
                    xv = TSimd.Broadcast(Unsafe.Add(ref xr, 2));
                    a20 = TSimd.MulAdd(xv, g0, a20);
                    a21 = TSimd.MulAdd(xv, g1, a21);
                    a22 = TSimd.MulAdd(xv, g2, a22);
                    xv = TSimd.Broadcast(Unsafe.Add(ref xr, 3));
                    a30 = TSimd.MulAdd(xv, g0, a30);
                    a31 = TSimd.MulAdd(xv, g1, a31);
                    a32 = TSimd.MulAdd(xv, g2, a32);
                    xv = TSimd.Broadcast(Unsafe.Add(ref xr, 4));
                    a40 = TSimd.MulAdd(xv, g0, a40);
                    a41 = TSimd.MulAdd(xv, g1, a41);
                    a42 = TSimd.MulAdd(xv, g2, a42);
                    xv = TSimd.Broadcast(Unsafe.Add(ref xr, 5));
                    a50 = TSimd.MulAdd(xv, g0, a50);
                    a51 = TSimd.MulAdd(xv, g1, a51);
                    a52 = TSimd.MulAdd(xv, g2, a52);
                    xv = TSimd.Broadcast(Unsafe.Add(ref xr, 6));
                    a60 = TSimd.MulAdd(xv, g0, a60);
                    a61 = TSimd.MulAdd(xv, g1, a61);
                    a62 = TSimd.MulAdd(xv, g2, a62);
                    xv = TSimd.Broadcast(Unsafe.Add(ref xr, 7));
                    a70 = TSimd.MulAdd(xv, g0, a70);
                    a71 = TSimd.MulAdd(xv, g1, a71);
                    a72 = TSimd.MulAdd(xv, g2, a72);
                    zr = ref Unsafe.Add(ref zr, n);
                    xr = ref Unsafe.Add(ref xr, k);
                }

                ref float d = ref Unsafe.Add(ref ws, p * n + j);
                StoreRow<TSimd, TVec>(a00, a01, a02, ref d);
                StoreRow<TSimd, TVec>(a10, a11, a12, ref Unsafe.Add(ref d, n));
                StoreRow<TSimd, TVec>(a20, a21, a22, ref Unsafe.Add(ref d, 2 * n));
                StoreRow<TSimd, TVec>(a30, a31, a32, ref Unsafe.Add(ref d, 3 * n));
                StoreRow<TSimd, TVec>(a40, a41, a42, ref Unsafe.Add(ref d, 4 * n));
                StoreRow<TSimd, TVec>(a50, a51, a52, ref Unsafe.Add(ref d, 5 * n));
                StoreRow<TSimd, TVec>(a60, a61, a62, ref Unsafe.Add(ref d, 6 * n));
                StoreRow<TSimd, TVec>(a70, a71, a72, ref Unsafe.Add(ref d, 7 * n));
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void StoreRow<TSimd, TVec>(TVec v0, TVec v1, TVec v2, ref float row)
        where TSimd : struct, ISimd<TVec>
        where TVec : struct
    {
        TSimd.Store(v0, ref row);
        TSimd.Store(v1, ref Unsafe.Add(ref row, TSimd.Count));
        TSimd.Store(v2, ref Unsafe.Add(ref row, 2 * TSimd.Count));
    }
}
