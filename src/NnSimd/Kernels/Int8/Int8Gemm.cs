using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using NnSimd.Internal;

namespace NnSimd.Kernels;

/// <summary>The int8 dot-product strategies, fastest first; one is chosen per process.</summary>
internal enum Int8Strategy
{
    Scalar,
    Madd256,
    Vnni256,
}

/// <summary>
/// C = activation(diag(rowScales) (A . Q) diag(colScales) + bias) with A unsigned bytes <c>[m x k]</c> (raw pixels, or
/// activations quantized per row) and Q the int8 weights of a <see cref="QuantizedMatrix"/>. The products are summed
/// exactly in int32 (|sum| &lt;= k 255 127, so k up to 66,000 cannot overflow), then, while the tile is in
/// registers, converted to float, scaled by row scale x column scale (two roundings, unfused, so every strategy gives
/// the same bits), and handed to the fp32 GEMM's epilogues (bias, activation, in-register softmax). Each element is
/// the same integer sum whatever the tile, so results do not depend on the batch.
/// </summary>
internal static class Int8Gemm
{
    /// <summary>The strategy this process uses: the fastest the hardware and the SIMD path allow.</summary>
    public static readonly Int8Strategy Strategy = Choose(Simd.Path);

    /// <summary>Whether this CPU (and runtime settings) can run <paramref name="strategy"/>.</summary>
    internal static bool IsSupported(Int8Strategy strategy) => strategy switch
    {
        Int8Strategy.Vnni256 => AvxVnni.IsSupported,
        Int8Strategy.Madd256 => Avx2.IsSupported,
        _ => true,
    };

    internal static void RequireSupported(Int8Strategy strategy)
    {
        if (!IsSupported(strategy))
        {
            throw new PlatformNotSupportedException($"The int8 strategy {strategy} needs instructions this CPU or runtime does not offer.");
        }
    }

    internal static Int8Strategy Choose(SimdPath path) =>
        path >= SimdPath.Vector256 && AvxVnni.IsSupported ? Int8Strategy.Vnni256 :
        path >= SimdPath.Vector256 && Avx2.IsSupported ? Int8Strategy.Madd256 :
        Int8Strategy.Scalar;

    /// <summary>
    /// c = activation(rowScale[i] colScale[j] (a . q)[i, j] + bias[j]). <paramref name="rowScales"/> has one scale
    /// per row of a, or a single one for all rows (1 / 255 for raw pixels). <paramref name="bias"/> may be empty.
    /// </summary>
    public static void Multiply(
        ReadOnlySpan<byte> a, int m, int k, ReadOnlySpan<float> rowScales, QuantizedMatrix b, ReadOnlySpan<float> bias, Activation activation, Span<float> c)
    {
        ArgumentNullException.ThrowIfNull(b);
        Guard.Positive(m, nameof(m));
        Guard.Positive(k, nameof(k));
        if (k != b.Rows)
        {
            Guard.ThrowArgument($"Shape mismatch: ({m}x{k}).({b.Rows}x{b.Columns}): A has {k} columns but B has {b.Rows} rows.", nameof(k));
        }

        if (a.Length != m * k)
        {
            Guard.ThrowArgument($"a has {a.Length} bytes but {m}x{k} needs {m * k}.", nameof(a));
        }

        Guard.Shape(c, m, b.Columns, nameof(c));
        if (rowScales.Length != m && rowScales.Length != 1)
        {
            Guard.ThrowArgument($"rowScales has {rowScales.Length} entries: give one per row ({m}) or one for all.", nameof(rowScales));
        }

        if (!bias.IsEmpty && bias.Length != b.Columns)
        {
            Guard.ThrowArgument($"bias has {bias.Length} elements but the product has {b.Columns} columns.", nameof(bias));
        }

        if (rowScales.Overlaps(c) || bias.Overlaps(c))
        {
            Guard.ThrowArgument("c must not overlap rowScales or bias.", nameof(c));
        }

        Compute(a, m, k, rowScales, b, bias, activation, c);
    }

    /// <summary>
    /// <see cref="Multiply"/> without its argument checks, for a caller whose shapes were checked when it was built
    /// (<see cref="Model.QuantizedNetwork"/>'s layers over its workspace's buffers). A call's fixed cost is about
    /// 50 ns on Zen 5 (1 x 4 x 8); in a profile of that call, Multiply's own code with its checks, Overlaps and
    /// Guard.Shape took a fifth. Without them the all-int8 book network at batch 1 took 1-3% less (medians of six
    /// processes, alternating); Debug builds still assert the checks.
    /// </summary>
    internal static void Compute(
        ReadOnlySpan<byte> a, int m, int k, ReadOnlySpan<float> rowScales, QuantizedMatrix b, ReadOnlySpan<float> bias, Activation activation, Span<float> c)
    {
        Debug.Assert(
            m > 0 && k == b.Rows && a.Length == m * k && c.Length == m * b.Columns && (rowScales.Length == m || rowScales.Length == 1)
            && (bias.IsEmpty || bias.Length == b.Columns) && !rowScales.Overlaps(c) && !bias.Overlaps(c),
            "the shapes Multiply checks");
        var call = new Call(a, m, k, rowScales, b, bias, c);
        if (activation is Activation.Sigmoid or Activation.Tanh)
        {
            // Finished at the kernels' 256-bit width, in the tile, these two cost three times what one pass of
            // the process's widest vectors (512-bit with AVX-512) costs over the same values afterwards: sigmoid
            // over 100 x 100 outputs took 5.9 us in the tile, 2 after it, on Zen 5. So the tile stops at scale
            // and bias, and the activation runs over c: element-wise, every element in vector code whatever its
            // position (UnaryLoop), so rows still get the same bits alone or in any batch.
            EpilogueDispatch.Run(ref call, Activation.Identity, false, c, b.Columns);
            Activations.Apply(activation, c, c);
            return;
        }

        EpilogueDispatch.Run(ref call, activation, b.TailColumns == 0 && Int8Finish.RowInRegisters(b.Columns, b.Layout.Lanes), c, b.Columns);
    }

    private readonly ref struct Call(
        ReadOnlySpan<byte> a, int m, int k, ReadOnlySpan<float> rowScales, QuantizedMatrix b, ReadOnlySpan<float> bias, Span<float> c)
        : IEpilogueKernel
    {
        private readonly ReadOnlySpan<byte> _a = a;
        private readonly ReadOnlySpan<float> _rowScales = rowScales;
        private readonly ReadOnlySpan<float> _bias = bias;
        private readonly Span<float> _c = c;

        public void Run<TEpi>()
            where TEpi : IEpilogue
        {
            // B's strategy fixes both the integer dot product and the float width of the epilogue.
            switch (b.Strategy)
            {
                case Int8Strategy.Vnni256: Macro<Vnni256, Vector256<int>, Simd256, Vector256<float>, TEpi, Rows6>(_a, m, k, _rowScales, b, _bias, _c); break;
                case Int8Strategy.Madd256: Macro<Madd256, Vector256<int>, Simd256, Vector256<float>, TEpi, Rows6>(_a, m, k, _rowScales, b, _bias, _c); break;
                default: Macro<DotScalar, int, Scalar1, float, TEpi, Rows4>(_a, m, k, _rowScales, b, _bias, _c); break;
            }
        }
    }

    /// <summary>
    /// Rows in tiles of TRows (6, or 4 for the scalar strategy, whose accumulators are general registers), then a tile
    /// of 4 if as many are left, then the rest one at a time through the row kernel.
    /// </summary>
    [SkipLocalsInit]
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Macro<TDot, TAcc, TSimd, TVec, TEpi, TRows>(
        ReadOnlySpan<byte> a, int m, int k, ReadOnlySpan<float> rowScales, QuantizedMatrix b, ReadOnlySpan<float> bias, Span<float> c)
        where TDot : IDot<TAcc, TVec>
        where TAcc : struct
        where TSimd : struct, ISimd<TVec>
        where TVec : struct
        where TEpi : IEpilogue
        where TRows : IRowCount
    {
        Span<float> scratchSpan = stackalloc float[16];
        Span<byte> tailSpan = stackalloc byte[Int8Tail.Bytes];
        Span<int> groupSpan = stackalloc int[NonZeroSteps.BufferLength];
        ref int found = ref MemoryMarshal.GetReference(groupSpan);
        bool skipZeros = SkipsZeros<TDot, TAcc, TVec>(k);
        var args = new Int8TileArgs(
            ref MemoryMarshal.GetReference(scratchSpan), ref MemoryMarshal.GetReference(tailSpan), k, b.Columns, b.StepBytes,
            ref MemoryMarshal.GetArrayDataReference(b.Scales), ref MemoryMarshal.GetReference(bias), !bias.IsEmpty);
        ref byte a0 = ref MemoryMarshal.GetReference(a);
        ref float c0 = ref MemoryMarshal.GetReference(c);
        ref float s0 = ref MemoryMarshal.GetReference(rowScales);
        int rowScaleStep = rowScales.Length == 1 ? 0 : 1;
        int i = 0;
        for (; i + TRows.Count <= m; i += TRows.Count)
        {
            int nextRow = i + TRows.Count;
            ReadOnlySpan<byte> next = a.Slice(nextRow * k, (Math.Min(m, nextRow + TRows.Count) - nextRow) * k);
            ref byte rows = ref Unsafe.Add(ref a0, i * k);
            scoped Steps groups = skipZeros ? NonZeroSteps.FindGroups(ref rows, k, TRows.Count, k / TDot.Group, ref found) : default;
            Strip<TDot, TAcc, TSimd, TVec, TEpi, TRows>(ref rows, (m - i) * k, ref Unsafe.Add(ref c0, i * args.Ldc), ref Unsafe.Add(ref s0, i * rowScaleStep), rowScaleStep, b, args, groups, next);
        }

        if (TRows.Count > 4 && i + 4 <= m)
        {
            ref byte rows = ref Unsafe.Add(ref a0, i * k);
            scoped Steps groups = skipZeros ? NonZeroSteps.FindGroups(ref rows, k, 4, k / TDot.Group, ref found) : default;
            Strip<TDot, TAcc, TSimd, TVec, TEpi, Rows4>(ref rows, (m - i) * k, ref Unsafe.Add(ref c0, i * args.Ldc), ref Unsafe.Add(ref s0, i * rowScaleStep), rowScaleStep, b, args, groups);
            i += 4;
        }

        for (; i < m; i++)
        {
            ref byte row = ref Unsafe.Add(ref a0, i * k);
            scoped Steps groups = skipZeros ? NonZeroSteps.FindGroups(ref row, k, 1, k / TDot.Group, ref found) : default;
            if (NonZeroSteps.Skips(groups))
            {
                RowStrip<TDot, TAcc, TSimd, TVec, TEpi, ListedSteps>(ref row, (m - i) * k, ref Unsafe.Add(ref c0, i * args.Ldc), Unsafe.Add(ref s0, i * rowScaleStep), b, args, groups);
            }
            else
            {
                RowStrip<TDot, TAcc, TSimd, TVec, TEpi, EveryStep>(ref row, (m - i) * k, ref Unsafe.Add(ref c0, i * args.Ldc), Unsafe.Add(ref s0, i * rowScaleStep), b, args, groups);
            }
        }
    }

    /// <summary>
    /// TRows rows of A across every panel of B: two panels at a time, then the last one, then the tail columns. The
    /// first strip to touch its rows may find them in DRAM (the pixels of a large batch, which nothing has read
    /// yet), so each tile call asks for its share of the next strip's rows, <paramref name="next"/>, to be brought
    /// in meanwhile. Batch 100 over 10,000 images' pixels: 0.375-0.382 -> 0.345 us per image, against 0.323-0.338
    /// for pixels already in cache, whose time it leaves as it was; all the next rows asked for at once gave 0.363.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Strip<TDot, TAcc, TSimd, TVec, TEpi, TRows>(
        ref byte a, int available, ref float c, ref float rowScale, int rowScaleStep, QuantizedMatrix b, Int8TileArgs args, Steps groups, ReadOnlySpan<byte> next = default)
        where TDot : IDot<TAcc, TVec>
        where TAcc : struct
        where TSimd : struct, ISimd<TVec>
        where TVec : struct
        where TEpi : IEpilogue
        where TRows : IRowCount
    {
        int j = 0;
        int calls = (b.Panels + 1) / 2;
        for (; j + 2 <= b.Panels; j += 2)
        {
            PrefetchPart(next, j / 2, calls);
            if (NonZeroSteps.Skips(groups))
            {
                Int8MicroKernel.Tile<TDot, TAcc, TSimd, TVec, TEpi, TRows, Panels2, ListedSteps>(ref a, available, ref b.Panel(j), j * TDot.Lanes, ref c, ref rowScale, rowScaleStep, args, groups);
            }
            else
            {
                Int8MicroKernel.Tile<TDot, TAcc, TSimd, TVec, TEpi, TRows, Panels2, EveryStep>(ref a, available, ref b.Panel(j), j * TDot.Lanes, ref c, ref rowScale, rowScaleStep, args);
            }
        }

        if (j < b.Panels)
        {
            PrefetchPart(next, calls - 1, calls);
            Int8MicroKernel.Tile<TDot, TAcc, TSimd, TVec, TEpi, TRows, Panels1, EveryStep>(ref a, available, ref b.Panel(j), j * TDot.Lanes, ref c, ref rowScale, rowScaleStep, args);
        }

        if (b.TailColumns > 0)
        {
            Int8DotColumns.Rows<TEpi, TRows>(ref a, available, b, ref c, ref rowScale, rowScaleStep, args);
        }
    }

    /// <summary>
    /// Whether the tiles and single rows leave out the groups of k where all their rows are zero (<see cref="NonZeroSteps"/>): with
    /// VPDPBUSD's groups of 4 bytes, for a k of at least <see cref="NonZeroSteps.TileDepth"/> bytes (the look reads the
    /// rows once more; the 50 or 100 bytes of a hidden layer's quantized activations would not repay it) and of at
    /// most 4 <see cref="NonZeroSteps.Capacity"/> (the list's room).
    /// </summary>
    private static bool SkipsZeros<TDot, TAcc, TVec>(int k)
        where TDot : IDot<TAcc, TVec>
        where TAcc : struct
        where TVec : struct =>
        TDot.Group == 4 && k / 4 <= NonZeroSteps.Capacity && k >= NonZeroSteps.TileDepth;

    /// <summary>Part <paramref name="part"/> of <paramref name="parts"/> equal parts of <paramref name="next"/>, asked for into cache; nothing past its end.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void PrefetchPart(ReadOnlySpan<byte> next, int part, int parts)
    {
        int share = (next.Length + parts - 1) / parts;
        int from = part * share;
        if (from < next.Length)
        {
            Prefetch.Lines(next.Slice(from, Math.Min(share, next.Length - from)));
        }
    }

    /// <summary>One row of A across every panel of B, taking the groups of k in TOrder: 8 panels at a time, then 4, 2 and 1 as they are left, then the tail columns.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void RowStrip<TDot, TAcc, TSimd, TVec, TEpi, TOrder>(ref byte a, int available, ref float c, float rowScale, QuantizedMatrix b, Int8TileArgs args, Steps groups)
        where TDot : IDot<TAcc, TVec>
        where TAcc : struct
        where TSimd : struct, ISimd<TVec>
        where TVec : struct
        where TEpi : IEpilogue
        where TOrder : IStepOrder
    {
        int j = 0;
        for (; j + 8 <= b.Panels; j += 8)
        {
            Int8RowKernel.Row<TDot, TAcc, TSimd, TVec, TEpi, Panels8, TOrder>(ref a, available, ref b.Panel(j), j * TDot.Lanes, ref c, rowScale, args, groups);
        }

        if (j + 4 <= b.Panels)
        {
            Int8RowKernel.Row<TDot, TAcc, TSimd, TVec, TEpi, Panels4, TOrder>(ref a, available, ref b.Panel(j), j * TDot.Lanes, ref c, rowScale, args, groups);
            j += 4;
        }

        if (j + 2 <= b.Panels)
        {
            Int8RowKernel.Row<TDot, TAcc, TSimd, TVec, TEpi, Panels2, TOrder>(ref a, available, ref b.Panel(j), j * TDot.Lanes, ref c, rowScale, args, groups);
            j += 2;
        }

        if (j < b.Panels)
        {
            Int8RowKernel.Row<TDot, TAcc, TSimd, TVec, TEpi, Panels1, TOrder>(ref a, available, ref b.Panel(j), j * TDot.Lanes, ref c, rowScale, args, groups);
        }

        if (b.TailColumns > 0)
        {
            Int8DotColumns.Rows<TEpi, Rows1>(ref a, available, b, ref c, ref rowScale, 0, args);
        }
    }
}

/// <summary>What every int8 kernel shares: strides, the column scales and bias, a scratch block for partial vectors and the tail buffer.</summary>
internal readonly ref struct Int8TileArgs(ref float scratch, ref byte tail, int depth, int ldc, int stepBytes, ref float colScales, ref float bias, bool hasBias)
{
    public readonly ref float Scratch = ref scratch;

    /// <summary>The zero-padded ends of A's rows (<see cref="Int8Tail"/>).</summary>
    public readonly ref byte Tail = ref tail;
    public readonly int Depth = depth;
    public readonly int Ldc = ldc;

    /// <summary>Bytes from one step of a panel to the next (<see cref="QuantizedMatrix.StepBytes"/>).</summary>
    public readonly int StepBytes = stepBytes;
    public readonly ref float ColScales = ref colScales;
    public readonly ref float Bias = ref bias;
    public readonly bool HasBias = hasBias;
}
