using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using NnSimd.Internal;

namespace NnSimd.Kernels;

/// <summary>
/// The right-hand matrix B <c>[rows x columns]</c> of a GEMM, packed once into the micro-kernel's panel layout:
/// column panels NR wide (NR = the vector width of this process's SIMD path), each stored row after row, so the
/// micro-kernel reads one contiguous vector per step of k. The last panel is zero-padded, which lets every
/// column go through the vector code. Storage is pinned and 64-byte aligned, so no panel load splits a cache line.
/// Immutable once built: safe to share between threads.
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
        Panels = (columns + panelWidth - 1) / panelWidth;
        int length = checked(Panels * panelWidth * rows);
        (_storage, _offset) = AlignedBuffer.Allocate(length);
    }

    /// <summary>k: the rows of B (the inner dimension of the product).</summary>
    public int Rows { get; }

    /// <summary>n: the columns of B (the columns of the product).</summary>
    public int Columns { get; }

    internal int PanelWidth { get; }

    internal int Panels { get; }

    internal ref float Panel(int panel) =>
        ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(_storage), _offset + panel * Rows * PanelWidth);

    /// <summary>Packs a row-major <c>[rows x columns]</c> matrix.</summary>
    public static PackedMatrix Pack(ReadOnlySpan<float> b, int rows, int columns)
    {
        Guard.Positive(rows, nameof(rows));
        Guard.Positive(columns, nameof(columns));
        Guard.Shape(b, rows, columns, nameof(b));
        var packed = new PackedMatrix(rows, columns, Simd.Lanes);
        int w = packed.PanelWidth;
        Span<float> all = packed.Storage;
        for (int j = 0; j < packed.Panels; j++)
        {
            int c0 = j * w;
            int cols = Math.Min(w, columns - c0);
            Span<float> panel = all.Slice(j * rows * w, rows * w);
            panel.Clear();
            for (int p = 0; p < rows; p++)
            {
                b.Slice(p * columns + c0, cols).CopyTo(panel.Slice(p * w, cols));
            }
        }

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
            int cols = Math.Min(w, Columns - c0);
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
            int cols = Math.Min(w, Columns - c0);
            for (int p = 0; p < Rows; p++)
            {
                all.Slice((j * Rows + p) * w, cols).CopyTo(b.Slice(p * Columns + c0, cols));
            }
        }
    }

    private Span<float> Storage => _storage.AsSpan(_offset, Panels * PanelWidth * Rows);
}
