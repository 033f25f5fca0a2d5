using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
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
        int w = PanelWidth;
        Span<float> all = Storage;
        for (int j = 0; j < Panels; j++)
        {
            int c0 = j * w;
            int cols = Math.Min(w, PanelColumns - c0);
            for (int p = 0; p < Rows; p++)
            {
                Span<float> dst = all.Slice((j * Rows + p) * w, cols);
                if (transposed)
                {
                    for (int c = 0; c < cols; c++)
                    {
                        dst[c] = source[(c0 + c) * Rows + p];
                    }
                }
                else
                {
                    source.Slice(p * Columns + c0, cols).CopyTo(dst);
                }
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

    /// <summary>Packs the transpose of a row-major <c>[rows x columns]</c> matrix: the result is <c>[columns x rows]</c>.</summary>
    internal static PackedMatrix PackTransposed(ReadOnlySpan<float> b, int rows, int columns)
    {
        var packed = new PackedMatrix(columns, rows, Simd.Lanes);
        packed.Storage.Clear();
        packed.Repack(b, transposed: true);
        return packed;
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
