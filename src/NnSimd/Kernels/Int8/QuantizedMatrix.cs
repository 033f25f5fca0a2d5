using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using NnSimd.Internal;

namespace NnSimd.Kernels;

/// <summary>
/// The right-hand matrix B <c>[rows x columns]</c> of an int8 GEMM: each column quantized symmetrically to int8
/// (q = round(w / s), s = max |w| / 127, so q is in [-127, 127] and 0 stays exactly 0), with its scale s kept in
/// float32, then packed for a dot-product strategy (the process's, <see cref="Int8Gemm.Strategy"/>): column panels of
/// one vector's int32 lanes, each step of a panel holding every lane's group of consecutive k, zero-padded past the
/// last column and the last k. The panels are interleaved step by step (<c>[Steps][Panels][Lanes x Group]</c>), so a
/// kernel reaches every panel it works on through one pointer and constant offsets; the steps are padded with zero
/// weights to a multiple of <see cref="StepMultiple"/>, so a kernel that takes several steps at once never reads past
/// the end. With the VNNI strategy, a few columns left after the whole panels may instead be stored as tail rows for
/// <see cref="Int8DotColumns"/> (<see cref="UsesTail"/>). Immutable once built.
/// </summary>
internal sealed class QuantizedMatrix
{
    private readonly byte[] _storage;
    private readonly int _offset;

    private QuantizedMatrix(sbyte[] weights, float[] scales, int rows, int columns, Int8Strategy strategy)
    {
        Rows = rows;
        Columns = columns;
        Weights = weights;
        Scales = scales;
        Strategy = strategy;
        Layout = Int8Layout.ForStrategy(strategy);
        Int8Layout layout = Layout;
        // Columns that fit two panels stay in panels: a row of them is then one 512-bit vector, and a softmax over
        // it is finished in the tile (Int8Finish.Wide) instead of by a pass over the stored logits. The all-int8
        // book network (100 x 10 last): 0.379-0.381 -> 0.354-0.360 us per image at batch 100, 4% less at 10,000,
        // batch 1 unchanged, alternating in one process on Zen 5.
        TailColumns = strategy == Int8Strategy.Vnni256 && columns > 2 * layout.Lanes && UsesTail(rows, columns % layout.Lanes) ? columns % layout.Lanes : 0;
        Panels = (columns - TailColumns + layout.Lanes - 1) / layout.Lanes;
        Steps = ((rows + (layout.Group * StepMultiple) - 1) / (layout.Group * StepMultiple)) * StepMultiple;
        StepBytes = Panels * layout.StepBytes;
        TailStride = (rows + Int8DotColumns.Chunk - 1) / Int8DotColumns.Chunk * Int8DotColumns.Chunk;
        _storage = GC.AllocateArray<byte>(checked((Steps * StepBytes) + (TailColumns * TailStride) + 64), pinned: true);
        _offset = Alignment(_storage);
        Pack();
    }

    /// <summary>k: the rows of B.</summary>
    public int Rows { get; }

    /// <summary>n: the columns of B.</summary>
    public int Columns { get; }

    /// <summary>The int8 weights, row-major <c>[Rows x Columns]</c>, as quantized.</summary>
    public sbyte[] Weights { get; }

    /// <summary>The float32 scale of each column: w ≈ q s.</summary>
    public float[] Scales { get; }

    /// <summary>The dot-product strategy B is packed for (the process's, unless a test asks for another).</summary>
    internal Int8Strategy Strategy { get; }

    /// <summary>The packing of <see cref="Strategy"/>, kept: <see cref="Panel"/> needs it on every tile call.</summary>
    internal Int8Layout Layout { get; }

    /// <summary>The most steps a kernel takes at once (the row kernel's 8 accumulators on one panel): Steps is a multiple of it.</summary>
    internal const int StepMultiple = 8;

    internal int Panels { get; }

    /// <summary>
    /// Columns after the panels stored as tail rows for <see cref="Int8DotColumns"/>: each column's k weights
    /// contiguous (zero-padded to <see cref="TailStride"/>), for dot products with k in the lanes (0 if none).
    /// </summary>
    internal int TailColumns { get; }

    /// <summary>Bytes from one tail column to the next: k rounded up to <see cref="Int8DotColumns.Chunk"/>.</summary>
    internal int TailStride { get; }

    /// <summary>Columns held in panels: every column before the tail.</summary>
    internal int PanelColumns => Columns - TailColumns;

    /// <summary>
    /// Whether <paramref name="rest"/> left-over columns over depth <paramref name="depth"/> go in tail rows (the
    /// VNNI strategy only). One more panel costs a VPDPBUSD per step of 4 k (k / 4, padded to a multiple of 8, per
    /// row); a tail column one per 32 k plus the sum across its 8 lanes (about 6 operations). Tail rows are used
    /// only when that is at least a quarter cheaper: 784 deep, 2 columns: 62 against 200; 50 deep, 4 columns: 32
    /// against 16, so a panel. (A matrix of at most two panels' columns keeps them all in panels whatever this
    /// says: see the constructor.)
    /// </summary>
    internal static bool UsesTail(int depth, int rest)
    {
        if (rest == 0)
        {
            return false;
        }

        long panelCost = (depth + (4 * StepMultiple) - 1) / (4 * StepMultiple) * StepMultiple;
        long dotCost = (long)rest * (((depth + Int8DotColumns.Chunk - 1) / Int8DotColumns.Chunk) + 6);
        return dotCost * 4 < panelCost * 3;
    }

    /// <summary>Tail column <paramref name="column"/> (0-based among the tail columns): its k weights, then zeros to <see cref="TailStride"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal ref byte Tail(int column) =>
        ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(_storage), _offset + (Steps * StepBytes) + (column * TailStride));

    /// <summary>Steps of k: k / Group rounded up, then to a multiple of <see cref="StepMultiple"/> (the extra ones all 0).</summary>
    internal int Steps { get; }

    /// <summary>Bytes from one step of a panel to its next: one step of every panel.</summary>
    internal int StepBytes { get; }

    /// <summary>Step 0 of a panel; step s is <see cref="StepBytes"/> s further.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal ref byte Panel(int panel) =>
        ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(_storage), _offset + (panel * Layout.StepBytes));

    /// <summary>Quantizes a row-major float32 <c>[rows x columns]</c> matrix per column.</summary>
    public static QuantizedMatrix Quantize(ReadOnlySpan<float> b, int rows, int columns) => Quantize(b, rows, columns, Int8Gemm.Strategy);

    /// <summary>As <see cref="Quantize(ReadOnlySpan{float}, int, int)"/>, packed for <paramref name="strategy"/> (which the CPU must support).</summary>
    internal static QuantizedMatrix Quantize(ReadOnlySpan<float> b, int rows, int columns, Int8Strategy strategy)
    {
        Int8Gemm.RequireSupported(strategy);
        Guard.Positive(rows, nameof(rows));
        Guard.Positive(columns, nameof(columns));
        Guard.Shape(b, rows, columns, nameof(b));
        var scales = new float[columns];
        var weights = new sbyte[rows * columns];
        for (int j = 0; j < columns; j++)
        {
            double max = 0;
            for (int i = 0; i < rows; i++)
            {
                float w = b[(i * columns) + j];
                if (!float.IsFinite(w))
                {
                    Guard.ThrowArgument($"b[{i}, {j}] is {w}: only finite weights can be quantized.", nameof(b));
                }

                max = Math.Max(max, Math.Abs((double)w));
            }

            // An all-zero column keeps scale 1 and weights 0.
            double scale = max == 0 ? 1 : max / 127;
            scales[j] = (float)scale;
            for (int i = 0; i < rows; i++)
            {
                weights[(i * columns) + j] = (sbyte)Math.Clamp(Math.Round(b[(i * columns) + j] / scale, MidpointRounding.ToEven), -127, 127);
            }
        }

        return new QuantizedMatrix(weights, scales, rows, columns, strategy);
    }

    /// <summary>Already-quantized weights (row-major <c>[rows x columns]</c>, in [-127, 127]) and their column scales.</summary>
    public static QuantizedMatrix FromInt8(sbyte[] weights, float[] scales, int rows, int columns)
    {
        ArgumentNullException.ThrowIfNull(weights);
        ArgumentNullException.ThrowIfNull(scales);
        Guard.Positive(rows, nameof(rows));
        Guard.Positive(columns, nameof(columns));
        if (weights.Length != rows * columns || scales.Length != columns)
        {
            Guard.ThrowArgument($"{weights.Length} weights and {scales.Length} scales do not make a {rows}x{columns} matrix.", nameof(weights));
        }

        if (Array.IndexOf(weights, sbyte.MinValue) >= 0)
        {
            Guard.ThrowArgument("a weight is -128: symmetric int8 weights are in [-127, 127].", nameof(weights));
        }

        return new QuantizedMatrix((sbyte[])weights.Clone(), (float[])scales.Clone(), rows, columns, Int8Gemm.Strategy);
    }

    private void Pack()
    {
        Span<byte> all = _storage.AsSpan(_offset, (Steps * StepBytes) + (TailColumns * TailStride));
        all.Clear();
        for (int t = 0; t < TailColumns; t++)
        {
            Span<byte> tail = all.Slice((Steps * StepBytes) + (t * TailStride), Rows);
            for (int i = 0; i < Rows; i++)
            {
                tail[i] = (byte)Weights[(i * Columns) + PanelColumns + t];
            }
        }

        int lanes = Layout.Lanes, group = Layout.Group, bytes = Layout.ElementBytes;
        for (int p = 0; p < Panels; p++)
        {
            for (int s = 0; s < Steps; s++)
            {
                Span<byte> step = all.Slice((s * StepBytes) + (p * Layout.StepBytes), Layout.StepBytes);
                for (int lane = 0; lane < lanes; lane++)
                {
                    int j = (p * lanes) + lane;
                    for (int t = 0; t < group; t++)
                    {
                        int i = (s * group) + t;
                        if (j >= PanelColumns || i >= Rows)
                        {
                            continue;
                        }

                        sbyte q = Weights[(i * Columns) + j];
                        int at = ((lane * group) + t) * bytes;
                        if (bytes == 1)
                        {
                            step[at] = (byte)q;
                        }
                        else
                        {
                            BitConverter.TryWriteBytes(step.Slice(at, 2), (short)q);
                        }
                    }
                }
            }
        }
    }

    private static unsafe int Alignment(byte[] pinned)
    {
        fixed (byte* p = pinned)
        {
            int misalignment = (int)((nuint)p % 64);
            return misalignment == 0 ? 0 : 64 - misalignment;
        }
    }
}

/// <summary>How a strategy wants B packed: int32 lanes per panel, k values per lane per step, bytes per weight.</summary>
internal readonly record struct Int8Layout(int Lanes, int Group, int ElementBytes)
{
    /// <summary>Bytes of one step of one panel.</summary>
    public int StepBytes => Lanes * Group * ElementBytes;

    public static Int8Layout ForStrategy(Int8Strategy strategy) => strategy switch
    {
        Int8Strategy.Vnni256 => Of<Vnni256, Vector256<int>, Vector256<float>>(),
        Int8Strategy.Madd256 => Of<Madd256, Vector256<int>, Vector256<float>>(),
        _ => Of<DotScalar, int, float>(),
    };

    private static Int8Layout Of<TDot, TAcc, TVec>()
        where TDot : IDot<TAcc, TVec>
        where TAcc : struct
        where TVec : struct => new(TDot.Lanes, TDot.Group, TDot.ElementBytes);
}
