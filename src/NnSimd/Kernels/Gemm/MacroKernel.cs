using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using NnSimd.Internal;

namespace NnSimd.Kernels;

/// <summary>
/// The GEMM's loops around its kernels (see <see cref="GemmBlocking"/> for how they nest): depth blocks, row blocks,
/// then panel groups, handing each piece to <see cref="MicroKernel"/> (8 or 4 rows), <see cref="RowKernel"/> (the
/// last 0..3 rows) or <see cref="TailKernel"/> (the tail columns). Every element of C is one FMA chain over k in the
/// same order whichever kernel computes it, so a row's result is bitwise the same alone or in any batch. The row
/// kernel leaves out the steps of k where its row is zero (<see cref="NonZeroSteps"/>), which changes no bit: one MNIST
/// image at a time through a book-shaped network took 0.73x the time (bytes in; 81% of its pixels are 0; the two
/// builds side by side in one process, benchmarks/NnSimd.AB).
/// </summary>
internal static class MacroKernel
{
    // a: [m, k] row-major, b: [k, n] packed, bias: [n] or empty, c: [m, n]; c = epilogue(a . b + bias).
    /// <summary>The macro loop: k in depth blocks, m in row blocks, then every panel over the row block.</summary>
    [SkipLocalsInit]
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Run<TSimd, TVec, TEpi>(ReadOnlySpan<float> a, int m, int k, PackedMatrix b, ReadOnlySpan<float> bias, Span<float> c)
        where TSimd : struct, ISimd<TVec>
        where TVec : struct
        where TEpi : IEpilogue
    {
        Debug.Assert(a.Length >= m * k && c.Length >= m * b.Columns && (bias.IsEmpty || bias.Length == b.Columns) && b.Rows == k,
            "Gemm.Multiply checked the shapes");
        int n = b.Columns;
        int w = TSimd.Count;
        ref float a0 = ref MemoryMarshal.GetReference(a);
        ref float c0 = ref MemoryMarshal.GetReference(c);
        Span<float> scratchSpan = stackalloc float[16];
        ref float scratch = ref MemoryMarshal.GetReference(scratchSpan);
        Span<int> stepSpan = stackalloc int[NonZeroSteps.BufferLength];
        ref int found = ref MemoryMarshal.GetReference(stepSpan);
        bool skipZeros = b.IsFinite;
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
                    int panels = GemmBlocking.TilePanels(TSimd.Registers, b.Panels - j);
                    int col = j * w;
                    int cols0 = Math.Min(w, n - col);
                    int cols1 = panels > 1 ? Math.Min(w, n - col - w) : 0;
                    int cols2 = panels > 2 ? Math.Min(w, n - col - 2 * w) : 0;
                    bool hasBias = last && !bias.IsEmpty;
                    TVec bias0 = hasBias ? TSimd.LoadFirst(ref Unsafe.AsRef(in bias[col]), cols0, ref scratch) : TSimd.Zero;
                    TVec bias1 = hasBias && panels > 1 ? TSimd.LoadFirst(ref Unsafe.AsRef(in bias[col + w]), cols1, ref scratch) : TSimd.Zero;
                    TVec bias2 = hasBias && panels > 2 ? TSimd.LoadFirst(ref Unsafe.AsRef(in bias[col + 2 * w]), cols2, ref scratch) : TSimd.Zero;
                    var tile = new TileArgs<TVec>(k, n, kc, b.Rows * w, cols0, cols1, cols2, bias0, bias1, bias2, first, last);
                    ref float panel = ref Unsafe.Add(ref b.Panel(j), kc0 * w);
                    switch (panels)
                    {
                        case 3: RowTiles<TSimd, TVec, TEpi, Panels3>(ref a0, i0, tiled, m, kc0, ref panel, ref Unsafe.Add(ref c0, col), tile, j == 0, skipZeros, ref found, ref scratch); break;
                        case 2: RowTiles<TSimd, TVec, TEpi, Panels2>(ref a0, i0, tiled, m, kc0, ref panel, ref Unsafe.Add(ref c0, col), tile, j == 0, skipZeros, ref found, ref scratch); break;
                        default: RowTiles<TSimd, TVec, TEpi, Panels1>(ref a0, i0, tiled, m, kc0, ref panel, ref Unsafe.Add(ref c0, col), tile, j == 0, skipZeros, ref found, ref scratch); break;
                    }

                    j += panels;
                }

                // The rows left over, up to 3 (a batch of one image: its only row), are first read by the look for
                // zeros and may come from DRAM: their lines, asked for all at once, arrive together. One float MNIST
                // image at a time: 0.94x the time with this request alone, 0.91x with the network's at the start of
                // its call alone, 0.83-0.85x with both (the two builds in one process, benchmarks/NnSimd.AB).
                for (int i = tiled; i < end; i++)
                {
                    Prefetch.LinesIntoL1(MemoryMarshal.AsBytes(MemoryMarshal.CreateReadOnlySpan(ref Unsafe.Add(ref a0, i * k + kc0), kc)));
                }

                for (int i = tiled; i < end; i++)
                {
                    ref float row = ref Unsafe.Add(ref a0, i * k + kc0);
                    scoped Steps steps = TileSteps(ref row, k, 1, kc, skipZeros, ref found);
                    if (NonZeroSteps.Skips(steps))
                    {
                        RowPanels<TSimd, TVec, TEpi, ListedSteps>(ref row, b, kc0, kc, steps, ref Unsafe.Add(ref c0, i * n), bias, first, last, ref scratch);
                    }
                    else
                    {
                        RowPanels<TSimd, TVec, TEpi, EveryStep>(ref row, b, kc0, kc, steps, ref Unsafe.Add(ref c0, i * n), bias, first, last, ref scratch);
                    }
                }

                if (last && b.TailColumns > 0)
                {
                    TailKernel.Run<TSimd, TVec, TEpi>(ref a0, i0, end, k, b, bias, ref c0, ref scratch);
                }
            }
        }
    }

    /// <summary>One row across every panel of B, four at a time, then 3, 2 or 1, taking the steps of k in TOrder.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void RowPanels<TSimd, TVec, TEpi, TOrder>(
        ref float row, PackedMatrix b, int kc0, int kc, Steps steps, ref float c, ReadOnlySpan<float> bias, bool first, bool last, ref float scratch)
        where TSimd : struct, ISimd<TVec>
        where TVec : struct
        where TEpi : IEpilogue
        where TOrder : IStepOrder
    {
        int j = 0;
        for (; j + 4 <= b.Panels; j += 4)
        {
            RowKernel.Run<TSimd, TVec, TEpi, Panels4, TOrder>(ref row, b, j, kc0, kc, steps, ref c, bias, first, last, ref scratch);
        }

        if (j + 3 == b.Panels)
        {
            RowKernel.Run<TSimd, TVec, TEpi, Panels3, TOrder>(ref row, b, j, kc0, kc, steps, ref c, bias, first, last, ref scratch);
            j += 3;
        }

        if (j + 2 <= b.Panels)
        {
            RowKernel.Run<TSimd, TVec, TEpi, Panels2, TOrder>(ref row, b, j, kc0, kc, steps, ref c, bias, first, last, ref scratch);
            j += 2;
        }

        if (j < b.Panels)
        {
            RowKernel.Run<TSimd, TVec, TEpi, Panels1, TOrder>(ref row, b, j, kc0, kc, steps, ref c, bias, first, last, ref scratch);
        }
    }

    /// <summary>Rows [i0, tiled) in tiles of 8 (then one of 4) against TPanels panels starting at <paramref name="panel"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void RowTiles<TSimd, TVec, TEpi, TPanels>(
        ref float a0, int i0, int tiled, int m, int kc0, ref float panel, ref float c, in TileArgs<TVec> tile, bool firstPanels, bool skipZeros, ref int found, ref float scratch)
        where TSimd : struct, ISimd<TVec>
        where TVec : struct
        where TEpi : IEpilogue
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
            ref float rows = ref Unsafe.Add(ref a0, (i * k) + kc0);
            scoped Steps steps = TileSteps(ref rows, k, GemmBlocking.TileRows, tile.Depth, skipZeros, ref found);
            if (NonZeroSteps.Skips(steps))
            {
                MicroKernel.Tile<TSimd, TVec, TEpi, Rows8, TPanels, ListedSteps>(ref rows, ref panel, ref Unsafe.Add(ref c, i * n), tile, steps, ref next, ref scratch);
            }
            else
            {
                MicroKernel.Tile<TSimd, TVec, TEpi, Rows8, TPanels, EveryStep>(ref rows, ref panel, ref Unsafe.Add(ref c, i * n), tile, steps, ref next, ref scratch);
            }
        }

        if (i < tiled)
        {
            ref float rows = ref Unsafe.Add(ref a0, (i * k) + kc0);
            scoped Steps steps = TileSteps(ref rows, k, 4, tile.Depth, skipZeros, ref found);
            if (NonZeroSteps.Skips(steps))
            {
                MicroKernel.Tile<TSimd, TVec, TEpi, Rows4, TPanels, ListedSteps>(ref rows, ref panel, ref Unsafe.Add(ref c, i * n), tile, steps, ref rows, ref scratch);
            }
            else
            {
                MicroKernel.Tile<TSimd, TVec, TEpi, Rows4, TPanels, EveryStep>(ref rows, ref panel, ref Unsafe.Add(ref c, i * n), tile, steps, ref rows, ref scratch);
            }
        }
    }

    /// <summary>
    /// The steps a tile of <paramref name="rows"/> rows (or a single row) takes: those where one of its rows is not
    /// zero, when the matrix allows skipping and the depth is at least <see cref="NonZeroSteps.TileDepth"/>; else all.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Steps TileSteps(ref float a, int lda, int rows, int depth, bool skipZeros, ref int found) =>
        skipZeros && depth >= NonZeroSteps.TileDepth ? NonZeroSteps.Find(ref a, lda, rows, depth, ref found) : new Steps(ref NonZeroSteps.All[0], depth);
}
