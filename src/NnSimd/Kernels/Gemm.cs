using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using NnSimd.Internal;

namespace NnSimd.Kernels;

/// <summary>
/// C = activation(A . B + bias), row-major: a: [m x k], b: [k x n] packed, bias: [n] (or empty), c: [m x n].
/// Packing + macro loop + register-tiled micro-kernel (see <see cref="GemmBlocking"/>); the bias and the
/// activation are applied while a tile is in registers, so C is written once. Each element of C is summed over
/// k in the same order whatever m is and wherever its row sits, so a row's result is bitwise the same alone or
/// in any batch.
/// </summary>
public static class Gemm
{
    /// <summary>c = activation(a . b + bias). <paramref name="bias"/> may be empty (no bias).</summary>
    public static void Multiply(
        ReadOnlySpan<float> a, int m, int k, PackedMatrix b, ReadOnlySpan<float> bias, Activation activation, Span<float> c)
    {
        ArgumentNullException.ThrowIfNull(b);
        CheckShapes(a, m, k, b.Rows, b.Columns, c);
        if (!bias.IsEmpty && bias.Length != b.Columns)
        {
            Guard.ThrowArgument($"bias has {bias.Length} elements but the product {m}x{b.Columns} has {b.Columns} columns.", nameof(bias));
        }

        if (a.Overlaps(c) || bias.Overlaps(c))
        {
            Guard.ThrowArgument("c must not overlap a or bias: C is written while they are still being read.", nameof(c));
        }

        switch (activation)
        {
            case Activation.Identity: Dispatch<IdentityOp>(a, m, k, b, bias, c); break;
            case Activation.Step: Dispatch<StepOp>(a, m, k, b, bias, c); break;
            case Activation.Sigmoid: Dispatch<SigmoidOp>(a, m, k, b, bias, c); break;
            case Activation.Relu: Dispatch<ReluOp>(a, m, k, b, bias, c); break;
            case Activation.Tanh: Dispatch<TanhOp>(a, m, k, b, bias, c); break;
            case Activation.Softmax when b.Columns <= Simd.Lanes && b.TailColumns == 0:
                Dispatch<SoftmaxRowOp>(a, m, k, b, bias, c); // each row is one register: softmax it there
                break;
            case Activation.Softmax:
                Dispatch<IdentityOp>(a, m, k, b, bias, c);
                Softmax.Rows(c, b.Columns, c);
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(activation), activation, "Unknown activation.");
        }
    }

    /// <summary>c = a . b with an unpacked row-major b: [k x n]. Packs b on every call (it allocates): for one-off products.</summary>
    public static void Multiply(ReadOnlySpan<float> a, int m, int k, ReadOnlySpan<float> b, int n, Span<float> c)
    {
        Guard.Positive(n, nameof(n));
        if (b.Length % n != 0)
        {
            Guard.ThrowArgument($"b has {b.Length} elements, not a whole number of rows of {n}.", nameof(b));
        }

        CheckShapes(a, m, k, b.Length / n, n, c);
        Multiply(a, m, k, PackedMatrix.Pack(b, b.Length / n, n), ReadOnlySpan<float>.Empty, Activation.Identity, c);
    }

    private static void CheckShapes(ReadOnlySpan<float> a, int m, int k, int bRows, int bColumns, ReadOnlySpan<float> c)
    {
        Guard.Positive(m, nameof(m));
        Guard.Positive(k, nameof(k));
        if (k != bRows)
        {
            Guard.ThrowArgument(
                $"Shape mismatch: ({m}x{k}).({bRows}x{bColumns}): A has {k} columns but B has {bRows} rows.", nameof(k));
        }

        Guard.Shape(a, m, k, nameof(a));
        Guard.Shape(c, m, bColumns, nameof(c));
    }

    internal static void Dispatch<TAct>(ReadOnlySpan<float> a, int m, int k, PackedMatrix b, ReadOnlySpan<float> bias, Span<float> c)
        where TAct : IUnaryOp
    {
        if (b.PanelWidth != Simd.Lanes)
        {
            throw new InvalidOperationException($"B was packed for {b.PanelWidth} lanes but this process runs {Simd.Lanes}.");
        }

        switch (Simd.Path)
        {
            case SimdPath.Vector512: Run<Simd512, Vector512<float>, TAct>(a, m, k, b, bias, c); break;
            case SimdPath.Vector256: Run<Simd256, Vector256<float>, TAct>(a, m, k, b, bias, c); break;
            case SimdPath.Vector128: Run<Simd128, Vector128<float>, TAct>(a, m, k, b, bias, c); break;
            default: Run<Scalar1, float, TAct>(a, m, k, b, bias, c); break;
        }
    }

    /// <summary>The macro loop: k in depth blocks, m in row blocks, then every panel over the row block.</summary>
    [SkipLocalsInit]
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Run<TSimd, TVec, TAct>(ReadOnlySpan<float> a, int m, int k, PackedMatrix b, ReadOnlySpan<float> bias, Span<float> c)
        where TSimd : struct, ISimd<TVec>
        where TVec : struct
        where TAct : IUnaryOp
    {
        int n = b.Columns;
        int w = TSimd.Count;
        ref float a0 = ref MemoryMarshal.GetReference(a);
        ref float c0 = ref MemoryMarshal.GetReference(c);
        Span<float> scratchSpan = stackalloc float[16];
        ref float scratch = ref MemoryMarshal.GetReference(scratchSpan);
        for (int kc0 = 0; kc0 < k; kc0 += GemmBlocking.DepthBlock)
        {
            int kc = Math.Min(GemmBlocking.DepthBlock, k - kc0);
            bool first = kc0 == 0;
            bool last = kc0 + kc == k;
            for (int i0 = 0; i0 < m; i0 += GemmBlocking.RowBlock)
            {
                int end = Math.Min(m, i0 + GemmBlocking.RowBlock);
                // Rows in tiles of 8 (and one of 4), panel by panel; the last 0..3 rows one at a time across
                // several panels at once, so even a single row keeps four FMA chains in flight.
                int tiled = i0 + (end - i0) / 4 * 4;
                for (int j = 0; j < b.Panels;)
                {
                    int panels = GemmBlocking.TilePanels(w, b.Panels - j);
                    int col = j * w;
                    int cols0 = Math.Min(w, n - col);
                    int cols1 = panels > 1 ? Math.Min(w, n - col - w) : 0;
                    int cols2 = panels > 2 ? Math.Min(w, n - col - 2 * w) : 0;
                    bool hasBias = last && !bias.IsEmpty;
                    TVec bias0 = hasBias ? PartialVector.Load<TSimd, TVec>(ref Unsafe.AsRef(in bias[col]), cols0, ref scratch) : TSimd.Zero;
                    TVec bias1 = hasBias && panels > 1 ? PartialVector.Load<TSimd, TVec>(ref Unsafe.AsRef(in bias[col + w]), cols1, ref scratch) : TSimd.Zero;
                    TVec bias2 = hasBias && panels > 2 ? PartialVector.Load<TSimd, TVec>(ref Unsafe.AsRef(in bias[col + 2 * w]), cols2, ref scratch) : TSimd.Zero;
                    var tile = new TileArgs<TVec>(k, n, kc, b.Rows * w, cols0, cols1, cols2, bias0, bias1, bias2, first, last);
                    ref float panel = ref Unsafe.Add(ref b.Panel(j), kc0 * w);
                    switch (panels)
                    {
                        case 3: RowTiles<TSimd, TVec, TAct, Panels3>(ref a0, i0, tiled, m, kc0, ref panel, ref Unsafe.Add(ref c0, col), tile, j == 0, ref scratch); break;
                        case 2: RowTiles<TSimd, TVec, TAct, Panels2>(ref a0, i0, tiled, m, kc0, ref panel, ref Unsafe.Add(ref c0, col), tile, j == 0, ref scratch); break;
                        default: RowTiles<TSimd, TVec, TAct, Panels1>(ref a0, i0, tiled, m, kc0, ref panel, ref Unsafe.Add(ref c0, col), tile, j == 0, ref scratch); break;
                    }

                    j += panels;
                }

                for (int i = tiled; i < end; i++)
                {
                    ref float row = ref Unsafe.Add(ref a0, i * k + kc0);
                    int j = 0;
                    for (; j + 4 <= b.Panels; j += 4)
                    {
                        RowPanels<TSimd, TVec, TAct, Panels4>(ref row, b, j, kc0, kc, ref Unsafe.Add(ref c0, i * n), bias, first, last, ref scratch);
                    }

                    if (j + 3 == b.Panels)
                    {
                        RowPanels<TSimd, TVec, TAct, Panels3>(ref row, b, j, kc0, kc, ref Unsafe.Add(ref c0, i * n), bias, first, last, ref scratch);
                        j += 3;
                    }

                    if (j + 2 <= b.Panels)
                    {
                        RowPanels<TSimd, TVec, TAct, Panels2>(ref row, b, j, kc0, kc, ref Unsafe.Add(ref c0, i * n), bias, first, last, ref scratch);
                        j += 2;
                    }

                    if (j < b.Panels)
                    {
                        RowPanels<TSimd, TVec, TAct, Panels1>(ref row, b, j, kc0, kc, ref Unsafe.Add(ref c0, i * n), bias, first, last, ref scratch);
                    }
                }

                if (last && b.TailColumns > 0)
                {
                    TailColumns<TSimd, TVec, TAct>(ref a0, i0, end, k, b, bias, ref c0, ref scratch);
                }
            }
        }
    }

    /// <summary>Rows [i0, tiled) in tiles of 8 (then one of 4) against TPanels panels starting at <paramref name="panel"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void RowTiles<TSimd, TVec, TAct, TPanels>(
        ref float a0, int i0, int tiled, int m, int kc0, ref float panel, ref float c, in TileArgs<TVec> tile, bool firstPanels, ref float scratch)
        where TSimd : struct, ISimd<TVec>
        where TVec : struct
        where TAct : IUnaryOp
        where TPanels : IRowCount
    {
        int k = tile.Lda;
        int n = tile.Ldc;
        int i = i0;
        for (; i + GemmBlocking.TileRows <= tiled; i += GemmBlocking.TileRows)
        {
            // The first panels of a row block are the first to touch its rows of A, which may come from DRAM (a
            // large input batch): the tile asks for the next tile's rows as it goes, so they stream in while it
            // computes (-14% for 10,000 float rows against no prefetch, -16% against prefetching the whole next
            // tile up front). Otherwise it "prefetches" its own rows, which are already in cache.
            bool ahead = firstPanels && i + (2 * GemmBlocking.TileRows) <= m;
            ref float next = ref Unsafe.Add(ref a0, ((ahead ? i + GemmBlocking.TileRows : i) * k) + kc0);
            Tile<TSimd, TVec, TAct, Rows8, TPanels>(ref Unsafe.Add(ref a0, (i * k) + kc0), ref panel, ref Unsafe.Add(ref c, i * n), tile, ref next, ref scratch);
        }

        if (i < tiled)
        {
            Tile<TSimd, TVec, TAct, Rows4, TPanels>(ref Unsafe.Add(ref a0, (i * k) + kc0), ref panel, ref Unsafe.Add(ref c, i * n), tile, ref Unsafe.Add(ref a0, (i * k) + kc0), ref scratch);
        }
    }

    /// <summary>
    /// The tail columns of B (see <see cref="PackedMatrix.UsesTail"/>) for rows [i0, end), over the whole depth:
    /// dot products with k in the lanes, then bias and activation over each row's tail as one partial vector (the
    /// same vector code as every other column, so fused and unfused results stay bitwise equal).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void TailColumns<TSimd, TVec, TAct>(ref float a0, int i0, int end, int k, PackedMatrix b, ReadOnlySpan<float> bias, ref float c0, ref float scratch)
        where TSimd : struct, ISimd<TVec>
        where TVec : struct
        where TAct : IUnaryOp
    {
        int n = b.Columns;
        int t0 = b.PanelColumns;
        int tails = b.TailColumns;
        for (int t = 0; t < tails; t += 2)
        {
            ref float w0 = ref b.Tail(t);
            ref float c = ref Unsafe.Add(ref c0, t0 + t);
            int i = i0;
            if (t + 1 < tails)
            {
                ref float w1 = ref b.Tail(t + 1);
                if (TSimd.Count == 16)
                {
                    for (; i + 8 <= end; i += 8)
                    {
                        DotTile<TSimd, TVec, Rows8, Panels2>(ref Unsafe.Add(ref a0, i * k), k, ref w0, ref w1, ref Unsafe.Add(ref c, i * n), n);
                    }
                }

                for (; i + 4 <= end; i += 4)
                {
                    DotTile<TSimd, TVec, Rows4, Panels2>(ref Unsafe.Add(ref a0, i * k), k, ref w0, ref w1, ref Unsafe.Add(ref c, i * n), n);
                }

                for (; i < end; i++)
                {
                    DotTile<TSimd, TVec, Rows1, Panels2>(ref Unsafe.Add(ref a0, i * k), k, ref w0, ref w1, ref Unsafe.Add(ref c, i * n), n);
                }
            }
            else
            {
                for (; i + 4 <= end; i += 4)
                {
                    DotTile<TSimd, TVec, Rows4, Panels1>(ref Unsafe.Add(ref a0, i * k), k, ref w0, ref w0, ref Unsafe.Add(ref c, i * n), n);
                }

                for (; i < end; i++)
                {
                    DotTile<TSimd, TVec, Rows1, Panels1>(ref Unsafe.Add(ref a0, i * k), k, ref w0, ref w0, ref Unsafe.Add(ref c, i * n), n);
                }
            }
        }

        if (bias.IsEmpty && typeof(TAct) == typeof(IdentityOp))
        {
            return;
        }

        TVec tailBias = bias.IsEmpty ? TSimd.Zero : PartialVector.Load<TSimd, TVec>(ref Unsafe.AsRef(in bias[t0]), tails, ref scratch);
        for (int i = i0; i < end; i++)
        {
            ref float row = ref Unsafe.Add(ref c0, (i * n) + t0);
            TVec v = TSimd.Apply<TAct>(TSimd.Add(PartialVector.Load<TSimd, TVec>(ref row, tails, ref scratch), tailBias));
            PartialVector.Store<TSimd, TVec>(v, ref row, tails, ref scratch);
        }
    }

    /// <summary>
    /// TRows rows of A (stride <paramref name="k"/>) dotted with TCols tail columns (<paramref name="w0"/>,
    /// <paramref name="w1"/>) into c (stride <paramref name="ldc"/>): one accumulator per pair with k in the lanes,
    /// summed across, then the last k % lanes products added in order. The order depends on k and the path only,
    /// never on the row count, so a row's result is the same in any tile.
    /// </summary>
    [SkipLocalsInit]
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void DotTile<TSimd, TVec, TRows, TCols>(ref float a, int k, ref float w0, ref float w1, ref float c, int ldc)
        where TSimd : struct, ISimd<TVec>
        where TVec : struct
        where TRows : IRowCount
        where TCols : IRowCount
    {
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

    /// <summary>The lanes of a dot-product accumulator summed, then the products past the last whole vector, in order.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static float DotFinish<TSimd, TVec>(TVec sum, ref float a, ref float w, int full, int k)
        where TSimd : struct, ISimd<TVec>
        where TVec : struct
    {
        float s = TSimd.Sum(sum);
        for (int q = full; q < k; q++)
        {
            s = MathF.FusedMultiplyAdd(Unsafe.Add(ref a, q), Unsafe.Add(ref w, q), s);
        }

        return s;
    }

    /// <summary>
    /// The single-row micro-kernel: one row of A times TPanels consecutive panels, starting at panel j0, into
    /// row c. Same contract as <see cref="Tile"/>; each element is the same FMA chain over k as in a row tile,
    /// so a row's result does not depend on which kernel computed it.
    /// </summary>
    [SkipLocalsInit]
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void RowPanels<TSimd, TVec, TAct, TPanels>(
        ref float a, PackedMatrix b, int j0, int kc0, int depth, ref float c, ReadOnlySpan<float> bias, bool first, bool last, ref float scratch)
        where TSimd : struct, ISimd<TVec>
        where TVec : struct
        where TAct : IUnaryOp
        where TPanels : IRowCount
    {
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
            s0 = PartialVector.Load<TSimd, TVec>(ref cz, cols0, ref scratch);
            if (TPanels.Count > 1) { s1 = PartialVector.Load<TSimd, TVec>(ref c1, cols1, ref scratch); }
            if (TPanels.Count > 2) { s2 = PartialVector.Load<TSimd, TVec>(ref c2, cols2, ref scratch); }
            if (TPanels.Count > 3) { s3 = PartialVector.Load<TSimd, TVec>(ref c3, cols3, ref scratch); }
        }

        for (int p = 0; p < depth; p++)
        {
            TVec av = TSimd.Broadcast(Unsafe.Add(ref a, p));
            s0 = TSimd.MulAdd(av, TSimd.Load(ref Unsafe.Add(ref p0, p * w)), s0);
            if (TPanels.Count > 1) { s1 = TSimd.MulAdd(av, TSimd.Load(ref Unsafe.Add(ref p1, p * w)), s1); }
            if (TPanels.Count > 2) { s2 = TSimd.MulAdd(av, TSimd.Load(ref Unsafe.Add(ref p2, p * w)), s2); }
            if (TPanels.Count > 3) { s3 = TSimd.MulAdd(av, TSimd.Load(ref Unsafe.Add(ref p3, p * w)), s3); }
        }

        if (typeof(TAct) == typeof(SoftmaxRowOp) && last)
        {
            int deferred = 0;
            TVec logits = bias.IsEmpty ? s0 : TSimd.Add(s0, PartialVector.Load<TSimd, TVec>(ref MemoryMarshal.GetReference(bias), cols0, ref scratch));
            PartialVector.Store<TSimd, TVec>(Softmax.InRegister<TSimd, TVec>(logits, cols0, ref deferred, 0), ref cz, cols0, ref scratch);
            if (deferred != 0)
            {
                Softmax.DeferredRows(ref cz, 0, cols0, deferred);
            }

            return;
        }

        if (last)
        {
            bool hasBias = !bias.IsEmpty;
            ref float b0 = ref MemoryMarshal.GetReference(bias);
            s0 = TSimd.Apply<TAct>(hasBias ? TSimd.Add(s0, PartialVector.Load<TSimd, TVec>(ref Unsafe.Add(ref b0, col0), cols0, ref scratch)) : s0);
            if (TPanels.Count > 1) { s1 = TSimd.Apply<TAct>(hasBias ? TSimd.Add(s1, PartialVector.Load<TSimd, TVec>(ref Unsafe.Add(ref b0, col0 + w), cols1, ref scratch)) : s1); }
            if (TPanels.Count > 2) { s2 = TSimd.Apply<TAct>(hasBias ? TSimd.Add(s2, PartialVector.Load<TSimd, TVec>(ref Unsafe.Add(ref b0, col0 + 2 * w), cols2, ref scratch)) : s2); }
            if (TPanels.Count > 3) { s3 = TSimd.Apply<TAct>(hasBias ? TSimd.Add(s3, PartialVector.Load<TSimd, TVec>(ref Unsafe.Add(ref b0, col0 + 3 * w), cols3, ref scratch)) : s3); }
        }

        PartialVector.Store<TSimd, TVec>(s0, ref cz, cols0, ref scratch);
        if (TPanels.Count > 1) { PartialVector.Store<TSimd, TVec>(s1, ref c1, cols1, ref scratch); }
        if (TPanels.Count > 2) { PartialVector.Store<TSimd, TVec>(s2, ref c2, cols2, ref scratch); }
        if (TPanels.Count > 3) { PartialVector.Store<TSimd, TVec>(s3, ref c3, cols3, ref scratch); }
    }

    private readonly struct TileArgs<TVec>(int lda, int ldc, int depth, int panelStride, int cols0, int cols1, int cols2, TVec bias0, TVec bias1, TVec bias2, bool first, bool last)
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
    private static void Tile<TSimd, TVec, TAct, TRows, TPanels>(ref float a, ref float panel, ref float c, in TileArgs<TVec> t, ref float next, ref float scratch)
        where TSimd : struct, ISimd<TVec>
        where TVec : struct
        where TAct : IUnaryOp
        where TRows : IRowCount
        where TPanels : IRowCount
    {
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
            c00 = PartialVector.Load<TSimd, TVec>(ref Unsafe.Add(ref c, 0), t.Cols0, ref scratch);
            if (TPanels.Count > 1) { c01 = PartialVector.Load<TSimd, TVec>(ref Unsafe.Add(ref c, 0 + w), t.Cols1, ref scratch); }
            if (TPanels.Count > 2) { c02 = PartialVector.Load<TSimd, TVec>(ref Unsafe.Add(ref c, 0 + (2 * w)), t.Cols2, ref scratch); }
            if (TRows.Count > 1) { c10 = PartialVector.Load<TSimd, TVec>(ref Unsafe.Add(ref c, 1 * ldc), t.Cols0, ref scratch); }
            if (TRows.Count > 1 && TPanels.Count > 1) { c11 = PartialVector.Load<TSimd, TVec>(ref Unsafe.Add(ref c, 1 * ldc + w), t.Cols1, ref scratch); }
            if (TRows.Count > 1 && TPanels.Count > 2) { c12 = PartialVector.Load<TSimd, TVec>(ref Unsafe.Add(ref c, 1 * ldc + (2 * w)), t.Cols2, ref scratch); }
            if (TRows.Count > 2) { c20 = PartialVector.Load<TSimd, TVec>(ref Unsafe.Add(ref c, 2 * ldc), t.Cols0, ref scratch); }
            if (TRows.Count > 2 && TPanels.Count > 1) { c21 = PartialVector.Load<TSimd, TVec>(ref Unsafe.Add(ref c, 2 * ldc + w), t.Cols1, ref scratch); }
            if (TRows.Count > 2 && TPanels.Count > 2) { c22 = PartialVector.Load<TSimd, TVec>(ref Unsafe.Add(ref c, 2 * ldc + (2 * w)), t.Cols2, ref scratch); }
            if (TRows.Count > 2) { c30 = PartialVector.Load<TSimd, TVec>(ref Unsafe.Add(ref c, 3 * ldc), t.Cols0, ref scratch); }
            if (TRows.Count > 2 && TPanels.Count > 1) { c31 = PartialVector.Load<TSimd, TVec>(ref Unsafe.Add(ref c, 3 * ldc + w), t.Cols1, ref scratch); }
            if (TRows.Count > 2 && TPanels.Count > 2) { c32 = PartialVector.Load<TSimd, TVec>(ref Unsafe.Add(ref c, 3 * ldc + (2 * w)), t.Cols2, ref scratch); }
            if (TRows.Count > 4) { c40 = PartialVector.Load<TSimd, TVec>(ref Unsafe.Add(ref c, 4 * ldc), t.Cols0, ref scratch); }
            if (TRows.Count > 4 && TPanels.Count > 1) { c41 = PartialVector.Load<TSimd, TVec>(ref Unsafe.Add(ref c, 4 * ldc + w), t.Cols1, ref scratch); }
            if (TRows.Count > 4 && TPanels.Count > 2) { c42 = PartialVector.Load<TSimd, TVec>(ref Unsafe.Add(ref c, 4 * ldc + (2 * w)), t.Cols2, ref scratch); }
            if (TRows.Count > 4) { c50 = PartialVector.Load<TSimd, TVec>(ref Unsafe.Add(ref c, 5 * ldc), t.Cols0, ref scratch); }
            if (TRows.Count > 4 && TPanels.Count > 1) { c51 = PartialVector.Load<TSimd, TVec>(ref Unsafe.Add(ref c, 5 * ldc + w), t.Cols1, ref scratch); }
            if (TRows.Count > 4 && TPanels.Count > 2) { c52 = PartialVector.Load<TSimd, TVec>(ref Unsafe.Add(ref c, 5 * ldc + (2 * w)), t.Cols2, ref scratch); }
            if (TRows.Count > 4) { c60 = PartialVector.Load<TSimd, TVec>(ref Unsafe.Add(ref c, 6 * ldc), t.Cols0, ref scratch); }
            if (TRows.Count > 4 && TPanels.Count > 1) { c61 = PartialVector.Load<TSimd, TVec>(ref Unsafe.Add(ref c, 6 * ldc + w), t.Cols1, ref scratch); }
            if (TRows.Count > 4 && TPanels.Count > 2) { c62 = PartialVector.Load<TSimd, TVec>(ref Unsafe.Add(ref c, 6 * ldc + (2 * w)), t.Cols2, ref scratch); }
            if (TRows.Count > 4) { c70 = PartialVector.Load<TSimd, TVec>(ref Unsafe.Add(ref c, 7 * ldc), t.Cols0, ref scratch); }
            if (TRows.Count > 4 && TPanels.Count > 1) { c71 = PartialVector.Load<TSimd, TVec>(ref Unsafe.Add(ref c, 7 * ldc + w), t.Cols1, ref scratch); }
            if (TRows.Count > 4 && TPanels.Count > 2) { c72 = PartialVector.Load<TSimd, TVec>(ref Unsafe.Add(ref c, 7 * ldc + (2 * w)), t.Cols2, ref scratch); }
        }

        ref float a1 = ref Unsafe.Add(ref a, 1 * lda);
        ref float a2 = ref Unsafe.Add(ref a, 2 * lda);
        ref float a3 = ref Unsafe.Add(ref a, 3 * lda);
        ref float a4 = ref Unsafe.Add(ref a, 4 * lda);
        ref float a5 = ref Unsafe.Add(ref a, 5 * lda);
        ref float a6 = ref Unsafe.Add(ref a, 6 * lda);
        ref float a7 = ref Unsafe.Add(ref a, 7 * lda);
        ref float panel1 = ref Unsafe.Add(ref panel, TPanels.Count > 1 ? t.PanelStride : 0);
        ref float panel2 = ref Unsafe.Add(ref panel, TPanels.Count > 2 ? 2 * t.PanelStride : 0);
        int depth = t.Depth;
        for (int p = 0; p < depth; p++)
        {
            // A's rows are contiguous (row-major, stride k), so the next tile is one run of TRows x k floats:
            // TRows floats further each step covers it in k steps, a new line every other step, and never
            // leaves the rows that exist.
            Prefetch.Line(ref Unsafe.Add(ref next, p * TRows.Count));
            TVec b0 = TSimd.Load(ref Unsafe.Add(ref panel, p * w));
            TVec b1 = TPanels.Count > 1 ? TSimd.Load(ref Unsafe.Add(ref panel1, p * w)) : b0;
            TVec b2 = TPanels.Count > 2 ? TSimd.Load(ref Unsafe.Add(ref panel2, p * w)) : b0;
            TVec x0 = TSimd.Broadcast(Unsafe.Add(ref a, p));
            c00 = TSimd.MulAdd(x0, b0, c00);
            if (TPanels.Count > 1) { c01 = TSimd.MulAdd(x0, b1, c01); }
            if (TPanels.Count > 2) { c02 = TSimd.MulAdd(x0, b2, c02); }

            if (TRows.Count > 1)
            {
                TVec x1 = TSimd.Broadcast(Unsafe.Add(ref a1, p));
                c10 = TSimd.MulAdd(x1, b0, c10);
                if (TPanels.Count > 1) { c11 = TSimd.MulAdd(x1, b1, c11); }
                if (TPanels.Count > 2) { c12 = TSimd.MulAdd(x1, b2, c12); }
            }

            if (TRows.Count > 2)
            {
                TVec x2 = TSimd.Broadcast(Unsafe.Add(ref a2, p));
                c20 = TSimd.MulAdd(x2, b0, c20);
                if (TPanels.Count > 1) { c21 = TSimd.MulAdd(x2, b1, c21); }
                if (TPanels.Count > 2) { c22 = TSimd.MulAdd(x2, b2, c22); }
            }

            if (TRows.Count > 2)
            {
                TVec x3 = TSimd.Broadcast(Unsafe.Add(ref a3, p));
                c30 = TSimd.MulAdd(x3, b0, c30);
                if (TPanels.Count > 1) { c31 = TSimd.MulAdd(x3, b1, c31); }
                if (TPanels.Count > 2) { c32 = TSimd.MulAdd(x3, b2, c32); }
            }

            if (TRows.Count > 4)
            {
                TVec x4 = TSimd.Broadcast(Unsafe.Add(ref a4, p));
                c40 = TSimd.MulAdd(x4, b0, c40);
                if (TPanels.Count > 1) { c41 = TSimd.MulAdd(x4, b1, c41); }
                if (TPanels.Count > 2) { c42 = TSimd.MulAdd(x4, b2, c42); }
            }

            if (TRows.Count > 4)
            {
                TVec x5 = TSimd.Broadcast(Unsafe.Add(ref a5, p));
                c50 = TSimd.MulAdd(x5, b0, c50);
                if (TPanels.Count > 1) { c51 = TSimd.MulAdd(x5, b1, c51); }
                if (TPanels.Count > 2) { c52 = TSimd.MulAdd(x5, b2, c52); }
            }

            if (TRows.Count > 4)
            {
                TVec x6 = TSimd.Broadcast(Unsafe.Add(ref a6, p));
                c60 = TSimd.MulAdd(x6, b0, c60);
                if (TPanels.Count > 1) { c61 = TSimd.MulAdd(x6, b1, c61); }
                if (TPanels.Count > 2) { c62 = TSimd.MulAdd(x6, b2, c62); }
            }

            if (TRows.Count > 4)
            {
                TVec x7 = TSimd.Broadcast(Unsafe.Add(ref a7, p));
                c70 = TSimd.MulAdd(x7, b0, c70);
                if (TPanels.Count > 1) { c71 = TSimd.MulAdd(x7, b1, c71); }
                if (TPanels.Count > 2) { c72 = TSimd.MulAdd(x7, b2, c72); }
            }
        }

        if (typeof(TAct) == typeof(SoftmaxRowOp) && t.Last)
        {
            // One panel holds each whole row (8 independent rows, so their reductions overlap).
            int deferred = 0;
            c00 = Softmax.InRegister<TSimd, TVec>(TSimd.Add(c00, t.Bias0), t.Cols0, ref deferred, 0);
            if (TRows.Count > 1) { c10 = Softmax.InRegister<TSimd, TVec>(TSimd.Add(c10, t.Bias0), t.Cols0, ref deferred, 1); }
            if (TRows.Count > 2) { c20 = Softmax.InRegister<TSimd, TVec>(TSimd.Add(c20, t.Bias0), t.Cols0, ref deferred, 2); }
            if (TRows.Count > 2) { c30 = Softmax.InRegister<TSimd, TVec>(TSimd.Add(c30, t.Bias0), t.Cols0, ref deferred, 3); }
            if (TRows.Count > 4) { c40 = Softmax.InRegister<TSimd, TVec>(TSimd.Add(c40, t.Bias0), t.Cols0, ref deferred, 4); }
            if (TRows.Count > 4) { c50 = Softmax.InRegister<TSimd, TVec>(TSimd.Add(c50, t.Bias0), t.Cols0, ref deferred, 5); }
            if (TRows.Count > 4) { c60 = Softmax.InRegister<TSimd, TVec>(TSimd.Add(c60, t.Bias0), t.Cols0, ref deferred, 6); }
            if (TRows.Count > 4) { c70 = Softmax.InRegister<TSimd, TVec>(TSimd.Add(c70, t.Bias0), t.Cols0, ref deferred, 7); }
            PartialVector.Store<TSimd, TVec>(c00, ref c, t.Cols0, ref scratch);
            if (TRows.Count > 1) { PartialVector.Store<TSimd, TVec>(c10, ref Unsafe.Add(ref c, 1 * ldc), t.Cols0, ref scratch); }
            if (TRows.Count > 2) { PartialVector.Store<TSimd, TVec>(c20, ref Unsafe.Add(ref c, 2 * ldc), t.Cols0, ref scratch); }
            if (TRows.Count > 2) { PartialVector.Store<TSimd, TVec>(c30, ref Unsafe.Add(ref c, 3 * ldc), t.Cols0, ref scratch); }
            if (TRows.Count > 4) { PartialVector.Store<TSimd, TVec>(c40, ref Unsafe.Add(ref c, 4 * ldc), t.Cols0, ref scratch); }
            if (TRows.Count > 4) { PartialVector.Store<TSimd, TVec>(c50, ref Unsafe.Add(ref c, 5 * ldc), t.Cols0, ref scratch); }
            if (TRows.Count > 4) { PartialVector.Store<TSimd, TVec>(c60, ref Unsafe.Add(ref c, 6 * ldc), t.Cols0, ref scratch); }
            if (TRows.Count > 4) { PartialVector.Store<TSimd, TVec>(c70, ref Unsafe.Add(ref c, 7 * ldc), t.Cols0, ref scratch); }
            if (deferred != 0)
            {
                Softmax.DeferredRows(ref c, ldc, t.Cols0, deferred);
            }

            return;
        }

        // Activation and store one accumulator at a time, so each result dies at its store: applying all 24
        // first kept them all live through the activation's temporaries and spilled (sigmoid cost 3x its
        // stand-alone pass at 100x50.50x100).
        if (t.Last) { c00 = TSimd.Apply<TAct>(TSimd.Add(c00, t.Bias0)); } PartialVector.Store<TSimd, TVec>(c00, ref Unsafe.Add(ref c, 0), t.Cols0, ref scratch);
        if (TPanels.Count > 1) { if (t.Last) { c01 = TSimd.Apply<TAct>(TSimd.Add(c01, t.Bias1)); } PartialVector.Store<TSimd, TVec>(c01, ref Unsafe.Add(ref c, 0 + w), t.Cols1, ref scratch); }
        if (TPanels.Count > 2) { if (t.Last) { c02 = TSimd.Apply<TAct>(TSimd.Add(c02, t.Bias2)); } PartialVector.Store<TSimd, TVec>(c02, ref Unsafe.Add(ref c, 0 + (2 * w)), t.Cols2, ref scratch); }
        if (TRows.Count > 1) { if (t.Last) { c10 = TSimd.Apply<TAct>(TSimd.Add(c10, t.Bias0)); } PartialVector.Store<TSimd, TVec>(c10, ref Unsafe.Add(ref c, 1 * ldc), t.Cols0, ref scratch); }
        if (TRows.Count > 1 && TPanels.Count > 1) { if (t.Last) { c11 = TSimd.Apply<TAct>(TSimd.Add(c11, t.Bias1)); } PartialVector.Store<TSimd, TVec>(c11, ref Unsafe.Add(ref c, 1 * ldc + w), t.Cols1, ref scratch); }
        if (TRows.Count > 1 && TPanels.Count > 2) { if (t.Last) { c12 = TSimd.Apply<TAct>(TSimd.Add(c12, t.Bias2)); } PartialVector.Store<TSimd, TVec>(c12, ref Unsafe.Add(ref c, 1 * ldc + (2 * w)), t.Cols2, ref scratch); }
        if (TRows.Count > 2) { if (t.Last) { c20 = TSimd.Apply<TAct>(TSimd.Add(c20, t.Bias0)); } PartialVector.Store<TSimd, TVec>(c20, ref Unsafe.Add(ref c, 2 * ldc), t.Cols0, ref scratch); }
        if (TRows.Count > 2 && TPanels.Count > 1) { if (t.Last) { c21 = TSimd.Apply<TAct>(TSimd.Add(c21, t.Bias1)); } PartialVector.Store<TSimd, TVec>(c21, ref Unsafe.Add(ref c, 2 * ldc + w), t.Cols1, ref scratch); }
        if (TRows.Count > 2 && TPanels.Count > 2) { if (t.Last) { c22 = TSimd.Apply<TAct>(TSimd.Add(c22, t.Bias2)); } PartialVector.Store<TSimd, TVec>(c22, ref Unsafe.Add(ref c, 2 * ldc + (2 * w)), t.Cols2, ref scratch); }
        if (TRows.Count > 2) { if (t.Last) { c30 = TSimd.Apply<TAct>(TSimd.Add(c30, t.Bias0)); } PartialVector.Store<TSimd, TVec>(c30, ref Unsafe.Add(ref c, 3 * ldc), t.Cols0, ref scratch); }
        if (TRows.Count > 2 && TPanels.Count > 1) { if (t.Last) { c31 = TSimd.Apply<TAct>(TSimd.Add(c31, t.Bias1)); } PartialVector.Store<TSimd, TVec>(c31, ref Unsafe.Add(ref c, 3 * ldc + w), t.Cols1, ref scratch); }
        if (TRows.Count > 2 && TPanels.Count > 2) { if (t.Last) { c32 = TSimd.Apply<TAct>(TSimd.Add(c32, t.Bias2)); } PartialVector.Store<TSimd, TVec>(c32, ref Unsafe.Add(ref c, 3 * ldc + (2 * w)), t.Cols2, ref scratch); }
        if (TRows.Count > 4) { if (t.Last) { c40 = TSimd.Apply<TAct>(TSimd.Add(c40, t.Bias0)); } PartialVector.Store<TSimd, TVec>(c40, ref Unsafe.Add(ref c, 4 * ldc), t.Cols0, ref scratch); }
        if (TRows.Count > 4 && TPanels.Count > 1) { if (t.Last) { c41 = TSimd.Apply<TAct>(TSimd.Add(c41, t.Bias1)); } PartialVector.Store<TSimd, TVec>(c41, ref Unsafe.Add(ref c, 4 * ldc + w), t.Cols1, ref scratch); }
        if (TRows.Count > 4 && TPanels.Count > 2) { if (t.Last) { c42 = TSimd.Apply<TAct>(TSimd.Add(c42, t.Bias2)); } PartialVector.Store<TSimd, TVec>(c42, ref Unsafe.Add(ref c, 4 * ldc + (2 * w)), t.Cols2, ref scratch); }
        if (TRows.Count > 4) { if (t.Last) { c50 = TSimd.Apply<TAct>(TSimd.Add(c50, t.Bias0)); } PartialVector.Store<TSimd, TVec>(c50, ref Unsafe.Add(ref c, 5 * ldc), t.Cols0, ref scratch); }
        if (TRows.Count > 4 && TPanels.Count > 1) { if (t.Last) { c51 = TSimd.Apply<TAct>(TSimd.Add(c51, t.Bias1)); } PartialVector.Store<TSimd, TVec>(c51, ref Unsafe.Add(ref c, 5 * ldc + w), t.Cols1, ref scratch); }
        if (TRows.Count > 4 && TPanels.Count > 2) { if (t.Last) { c52 = TSimd.Apply<TAct>(TSimd.Add(c52, t.Bias2)); } PartialVector.Store<TSimd, TVec>(c52, ref Unsafe.Add(ref c, 5 * ldc + (2 * w)), t.Cols2, ref scratch); }
        if (TRows.Count > 4) { if (t.Last) { c60 = TSimd.Apply<TAct>(TSimd.Add(c60, t.Bias0)); } PartialVector.Store<TSimd, TVec>(c60, ref Unsafe.Add(ref c, 6 * ldc), t.Cols0, ref scratch); }
        if (TRows.Count > 4 && TPanels.Count > 1) { if (t.Last) { c61 = TSimd.Apply<TAct>(TSimd.Add(c61, t.Bias1)); } PartialVector.Store<TSimd, TVec>(c61, ref Unsafe.Add(ref c, 6 * ldc + w), t.Cols1, ref scratch); }
        if (TRows.Count > 4 && TPanels.Count > 2) { if (t.Last) { c62 = TSimd.Apply<TAct>(TSimd.Add(c62, t.Bias2)); } PartialVector.Store<TSimd, TVec>(c62, ref Unsafe.Add(ref c, 6 * ldc + (2 * w)), t.Cols2, ref scratch); }
        if (TRows.Count > 4) { if (t.Last) { c70 = TSimd.Apply<TAct>(TSimd.Add(c70, t.Bias0)); } PartialVector.Store<TSimd, TVec>(c70, ref Unsafe.Add(ref c, 7 * ldc), t.Cols0, ref scratch); }
        if (TRows.Count > 4 && TPanels.Count > 1) { if (t.Last) { c71 = TSimd.Apply<TAct>(TSimd.Add(c71, t.Bias1)); } PartialVector.Store<TSimd, TVec>(c71, ref Unsafe.Add(ref c, 7 * ldc + w), t.Cols1, ref scratch); }
        if (TRows.Count > 4 && TPanels.Count > 2) { if (t.Last) { c72 = TSimd.Apply<TAct>(TSimd.Add(c72, t.Bias2)); } PartialVector.Store<TSimd, TVec>(c72, ref Unsafe.Add(ref c, 7 * ldc + (2 * w)), t.Cols2, ref scratch); }
    }
}
