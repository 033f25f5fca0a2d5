using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using NnSimd.Internal;

namespace NnSimd.Kernels;

/// <summary>
/// The right-hand matrix B <c>[rows x columns]</c> of a GEMM, packed once into the micro-kernel's panel layout:
/// column panels NR wide (NR = the vector width of this process's SIMD path), each stored row after row, so the
/// micro-kernel reads one contiguous vector per step of k. Columns left over after the whole panels either go in
/// one more zero-padded panel or, when they are few and k is deep (784-50 leaves 2 of 16 lanes), in "tail" rows:
/// each such column stored contiguously over k, for a dot-product kernel that puts k in the lanes, so 2 columns
/// cost 2/16 of a panel instead of a whole one (see <see cref="UsesTail"/>). Storage is pinned and 64-byte aligned,
/// so no panel load splits a cache line. Immutable once built: safe to share between threads.
/// </summary>
public sealed class PackedMatrix
{
    private readonly float[] _storage;
    private readonly int _offset;

    /// <summary>Whether every weight is finite: 0 not yet known, 1 yes, 2 no. Found on first use after each (re)pack.</summary>
    private int _finite;

    private PackedMatrix(int rows, int columns, int panelWidth)
    {
        Rows = rows;
        Columns = columns;
        PanelWidth = panelWidth;
        int rest = columns % panelWidth;
        TailColumns = UsesTail(rows, rest, panelWidth) ? rest : 0;
        Panels = (columns - TailColumns + panelWidth - 1) / panelWidth;
        TailStride = (rows + 15) / 16 * 16;
        int length = checked((Panels * panelWidth * rows) + (TailColumns * TailStride));
        (_storage, _offset) = AlignedBuffer.Allocate(length);
    }

    /// <summary>
    /// Whether <paramref name="rest"/> left-over columns over depth <paramref name="depth"/> go in tail rows. A padded
    /// panel costs <c>depth</c> FMAs per row of A; a tail column costs one FMA per vector of k plus a horizontal sum
    /// (about 2 log2(lanes) operations) plus the last <c>depth % lanes</c> scalar FMAs. Tail rows are used only when
    /// that is at least a quarter cheaper (784 deep, 2 columns on 16 lanes: 114 against 784; 50 deep, 4 columns: 52
    /// against 50, so a panel).
    /// </summary>
    internal static bool UsesTail(int depth, int rest, int lanes)
    {
        if (rest == 0 || lanes == 1)
        {
            return false;
        }

        long dotCost = (long)rest * ((depth / lanes) + (2 * int.Log2(lanes)) + (depth % lanes));
        return dotCost * 4 < (long)depth * 3;
    }

    /// <summary>k: the rows of B (the inner dimension of the product).</summary>
    public int Rows { get; }

    /// <summary>n: the columns of B (the columns of the product).</summary>
    public int Columns { get; }

    internal int PanelWidth { get; }

    /// <summary>Column panels, the last one zero-padded unless the left-over columns are tail rows.</summary>
    internal int Panels { get; }

    /// <summary>Columns stored as tail rows, after the panels' <c>Panels * PanelWidth</c> columns (0 if none).</summary>
    internal int TailColumns { get; }

    /// <summary>Floats from one tail row to the next (k rounded up to 16, so each row starts 64-byte aligned).</summary>
    internal int TailStride { get; }

    /// <summary>Columns held in panels: every column before the tail.</summary>
    internal int PanelColumns => Columns - TailColumns;

    // AggressiveInlining: NativeAOT's inliner otherwise left this call in the single-row kernel, and the
    // accumulators live across it were kept on the stack through the whole k loop (2.8x slower per image).
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal ref float Panel(int panel) =>
        ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(_storage), _offset + panel * Rows * PanelWidth);

    /// <summary>Tail column <paramref name="column"/> (0-based among the tail columns): its Rows values over k.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal ref float Tail(int column) =>
        ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(_storage), _offset + (Panels * Rows * PanelWidth) + (column * TailStride));

    /// <summary>Packs a row-major <c>[rows x columns]</c> matrix.</summary>
    public static PackedMatrix Pack(ReadOnlySpan<float> b, int rows, int columns)
    {
        Guard.Positive(rows, nameof(rows));
        Guard.Positive(columns, nameof(columns));
        Guard.Shape(b, rows, columns, nameof(b));
        var packed = new PackedMatrix(rows, columns, Simd.Lanes);
        packed.Storage.Clear();
        packed.Repack(b, transposed: false);
        return packed;
    }

    /// <summary>
    /// Overwrites the packed values in place, from a row-major <c>[Rows x Columns]</c> matrix, or, when
    /// <paramref name="transposed"/>, from its transpose stored row-major <c>[Columns x Rows]</c>. Training
    /// refreshes its packed weights (and their transposes) this way after every step, without allocating.
    /// </summary>
    internal void Repack(ReadOnlySpan<float> source, bool transposed)
    {
        Guard.Shape(source, Rows, Columns, nameof(source));
        _finite = 0;
        int w = PanelWidth;
        Span<float> all = Storage;
        for (int j = 0; j < Panels; j++)
        {
            int c0 = j * w;
            int cols = Math.Min(w, PanelColumns - c0);
            if (transposed)
            {
                RepackPanelTransposed(source.Slice(c0 * Rows, cols * Rows), cols, all.Slice(j * Rows * w, Rows * w));
                continue;
            }

            for (int p = 0; p < Rows; p++)
            {
                source.Slice(p * Columns + c0, cols).CopyTo(all.Slice((j * Rows + p) * w, cols));
            }
        }

        for (int t = 0; t < TailColumns; t++)
        {
            int column = PanelColumns + t;
            Span<float> dst = all.Slice((Panels * Rows * w) + (t * TailStride), Rows);
            if (transposed)
            {
                source.Slice(column * Rows, Rows).CopyTo(dst);
            }
            else
            {
                for (int p = 0; p < Rows; p++)
                {
                    dst[p] = source[p * Columns + column];
                }
            }
        }
    }

    /// <summary>
    /// One panel from <paramref name="cols"/> source rows of <c>Rows</c> values each: source row c goes down the
    /// panel's column c. With AVX and a whole panel of 8 or 16 columns, in 8 x 8 blocks transposed in registers;
    /// otherwise (and for the last <c>Rows % 8</c> steps of k) one value at a time, in blocks of 64 steps of k that
    /// keep the panel lines being written in L1 while each source row is read in order.
    /// </summary>
    private unsafe void RepackPanelTransposed(ReadOnlySpan<float> source, int cols, Span<float> panel)
    {
        const int Block = 64;
        int w = PanelWidth, rows = Rows;
        int pVector = 0;
        if (Avx.IsSupported && cols == w && w % 8 == 0)
        {
            // 8 source rows' values for 8 steps of k become the 8 steps' values for those 8 columns. Training
            // refreshes W1 (784 x 50) this way after every step: one value at a time (or by AVX2 gathers) took
            // 18 us a step on Zen 5, the 8 x 8 blocks about 4.
            pVector = rows / 8 * 8;
            fixed (float* s = source)
            fixed (float* d = panel)
            {
                for (int c = 0; c < w; c += 8)
                {
                    for (int p = 0; p < pVector; p += 8)
                    {
                        Transpose8x8(s + (c * rows) + p, rows, d + (p * w) + c, w);
                    }
                }
            }
        }

        ref float src = ref MemoryMarshal.GetReference(source);
        ref float dst = ref MemoryMarshal.GetReference(panel);
        for (int p0 = pVector; p0 < rows; p0 += Block)
        {
            int p1 = Math.Min(rows, p0 + Block);
            for (int c = 0; c < cols; c++)
            {
                ref float from = ref Unsafe.Add(ref src, c * rows);
                ref float to = ref Unsafe.Add(ref dst, c);
                for (int p = p0; p < p1; p++)
                {
                    Unsafe.Add(ref to, p * w) = Unsafe.Add(ref from, p);
                }
            }
        }
    }

    /// <summary>
    /// to[q * toStride + i] = from[i * fromStride + q] for i, q in 0..7: eight unpacks, eight shuffles and eight lane
    /// permutes, all exact moves.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static unsafe void Transpose8x8(float* from, int fromStride, float* to, int toStride)
    {
        Vector256<float> r0 = Avx.LoadVector256(from), r1 = Avx.LoadVector256(from + fromStride);
        Vector256<float> r2 = Avx.LoadVector256(from + (2 * fromStride)), r3 = Avx.LoadVector256(from + (3 * fromStride));
        Vector256<float> r4 = Avx.LoadVector256(from + (4 * fromStride)), r5 = Avx.LoadVector256(from + (5 * fromStride));
        Vector256<float> r6 = Avx.LoadVector256(from + (6 * fromStride)), r7 = Avx.LoadVector256(from + (7 * fromStride));
        Vector256<float> t0 = Avx.UnpackLow(r0, r1), t1 = Avx.UnpackHigh(r0, r1);
        Vector256<float> t2 = Avx.UnpackLow(r2, r3), t3 = Avx.UnpackHigh(r2, r3);
        Vector256<float> t4 = Avx.UnpackLow(r4, r5), t5 = Avx.UnpackHigh(r4, r5);
        Vector256<float> t6 = Avx.UnpackLow(r6, r7), t7 = Avx.UnpackHigh(r6, r7);
        Vector256<float> u0 = Avx.Shuffle(t0, t2, 0x44), u1 = Avx.Shuffle(t0, t2, 0xEE);
        Vector256<float> u2 = Avx.Shuffle(t1, t3, 0x44), u3 = Avx.Shuffle(t1, t3, 0xEE);
        Vector256<float> u4 = Avx.Shuffle(t4, t6, 0x44), u5 = Avx.Shuffle(t4, t6, 0xEE);
        Vector256<float> u6 = Avx.Shuffle(t5, t7, 0x44), u7 = Avx.Shuffle(t5, t7, 0xEE);
        Avx.Store(to, Avx.Permute2x128(u0, u4, 0x20));
        Avx.Store(to + toStride, Avx.Permute2x128(u1, u5, 0x20));
        Avx.Store(to + (2 * toStride), Avx.Permute2x128(u2, u6, 0x20));
        Avx.Store(to + (3 * toStride), Avx.Permute2x128(u3, u7, 0x20));
        Avx.Store(to + (4 * toStride), Avx.Permute2x128(u0, u4, 0x31));
        Avx.Store(to + (5 * toStride), Avx.Permute2x128(u1, u5, 0x31));
        Avx.Store(to + (6 * toStride), Avx.Permute2x128(u2, u6, 0x31));
        Avx.Store(to + (7 * toStride), Avx.Permute2x128(u3, u7, 0x31));
    }

    /// <summary>Packs the transpose of a row-major <c>[rows x columns]</c> matrix: the result is <c>[columns x rows]</c>.</summary>
    internal static PackedMatrix PackTransposed(ReadOnlySpan<float> b, int rows, int columns)
    {
        var packed = new PackedMatrix(columns, rows, Simd.Lanes);
        packed.Storage.Clear();
        packed.Repack(b, transposed: true);
        return packed;
    }

    /// <summary>
    /// Whether every weight is finite, so the kernels may skip the steps of k where A is zero (<see cref="NonZeroSteps"/>).
    /// Computed once per (re)pack, on first use: one vector pass over the weights.
    /// </summary>
    internal bool IsFinite
    {
        get
        {
            int known = Volatile.Read(ref _finite);
            if (known == 0)
            {
                // MaxMagnitude is NaN if any weight is, and infinite if any is.
                known = float.IsFinite(TensorPrimitives.MaxMagnitude<float>(Storage)) ? 1 : 2;
                Volatile.Write(ref _finite, known);
            }

            return known == 1;
        }
    }

    /// <summary>Copies B back out, row-major <c>[rows x columns]</c>.</summary>
    public void CopyTo(Span<float> b)
    {
        Guard.Shape(b, Rows, Columns, nameof(b));
        int w = PanelWidth;
        ReadOnlySpan<float> all = Storage;
        for (int j = 0; j < Panels; j++)
        {
            int c0 = j * w;
            int cols = Math.Min(w, PanelColumns - c0);
            for (int p = 0; p < Rows; p++)
            {
                all.Slice((j * Rows + p) * w, cols).CopyTo(b.Slice(p * Columns + c0, cols));
            }
        }

        for (int t = 0; t < TailColumns; t++)
        {
            ReadOnlySpan<float> src = all.Slice((Panels * Rows * w) + (t * TailStride), Rows);
            for (int p = 0; p < Rows; p++)
            {
                b[p * Columns + PanelColumns + t] = src[p];
            }
        }
    }

    private Span<float> Storage => _storage.AsSpan(_offset, (Panels * PanelWidth * Rows) + (TailColumns * TailStride));
}
