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
                for (int j = 0; j < b.Panels; j++)
                {
                    int col = j * w;
                    int cols = Math.Min(w, n - col);
                    ref float panel = ref Unsafe.Add(ref b.Panel(j), kc0 * w);
                    TVec biasVector = last && !bias.IsEmpty ? LoadPartial<TSimd, TVec>(ref Unsafe.AsRef(in bias[col]), cols, ref scratch) : TSimd.Zero;
                    var tile = new TileArgs<TVec>(k, n, kc, cols, biasVector, first, last);
                    int i = i0;
                    for (; i + 8 <= tiled; i += 8)
                    {
                        Tile<TSimd, TVec, TAct, Rows8>(ref Unsafe.Add(ref a0, i * k + kc0), ref panel, ref Unsafe.Add(ref c0, i * n + col), tile, ref scratch);
                    }

                    if (i < tiled)
                    {
                        Tile<TSimd, TVec, TAct, Rows4>(ref Unsafe.Add(ref a0, i * k + kc0), ref panel, ref Unsafe.Add(ref c0, i * n + col), tile, ref scratch);
                    }
                }

                for (int i = tiled; i < end; i++)
                {
                    ref float row = ref Unsafe.Add(ref a0, i * k + kc0);
                    int j = 0;
                    for (; j + 4 <= b.Panels; j += 4)
                    {
                        RowPanels<TSimd, TVec, TAct, Panels4>(ref row, b, j, kc0, kc, ref Unsafe.Add(ref c0, i * n), bias, first, last, ref scratch);
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
            }
        }
    }

    /// <summary>
    /// The single-row micro-kernel: one row of A times TPanels consecutive panels, starting at panel j0, into
    /// row c. Same contract as <see cref="Tile"/>; each element is the same FMA chain over k as in a row tile,
    /// so a row's result does not depend on which kernel computed it.
    /// </summary>
    [SkipLocalsInit]
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
        TVec s0 = TSimd.Zero, s1 = TSimd.Zero, s2 = TSimd.Zero, s3 = TSimd.Zero;
        if (!first)
        {
            s0 = LoadPartial<TSimd, TVec>(ref cz, cols0, ref scratch);
            if (TPanels.Count > 1) { s1 = LoadPartial<TSimd, TVec>(ref c1, cols1, ref scratch); }
            if (TPanels.Count > 2) { s2 = LoadPartial<TSimd, TVec>(ref c2, cols2, ref scratch); }
            if (TPanels.Count > 2) { s3 = LoadPartial<TSimd, TVec>(ref c3, cols3, ref scratch); }
        }

        ref float p0 = ref Unsafe.Add(ref b.Panel(j0), kc0 * w);
        ref float p1 = ref Unsafe.Add(ref p0, TPanels.Count > 1 ? b.Rows * w : 0);
        ref float p2 = ref Unsafe.Add(ref p0, TPanels.Count > 2 ? 2 * b.Rows * w : 0);
        ref float p3 = ref Unsafe.Add(ref p0, TPanels.Count > 2 ? 3 * b.Rows * w : 0);
        for (int p = 0; p < depth; p++)
        {
            TVec av = TSimd.Broadcast(Unsafe.Add(ref a, p));
            s0 = TSimd.MulAdd(av, TSimd.Load(ref Unsafe.Add(ref p0, p * w)), s0);
            if (TPanels.Count > 1) { s1 = TSimd.MulAdd(av, TSimd.Load(ref Unsafe.Add(ref p1, p * w)), s1); }
            if (TPanels.Count > 2) { s2 = TSimd.MulAdd(av, TSimd.Load(ref Unsafe.Add(ref p2, p * w)), s2); }
            if (TPanels.Count > 2) { s3 = TSimd.MulAdd(av, TSimd.Load(ref Unsafe.Add(ref p3, p * w)), s3); }
        }

        if (last)
        {
            bool hasBias = !bias.IsEmpty;
            ref float b0 = ref MemoryMarshal.GetReference(bias);
            s0 = TSimd.Apply<TAct>(hasBias ? TSimd.Add(s0, LoadPartial<TSimd, TVec>(ref Unsafe.Add(ref b0, col0), cols0, ref scratch)) : s0);
            if (TPanels.Count > 1) { s1 = TSimd.Apply<TAct>(hasBias ? TSimd.Add(s1, LoadPartial<TSimd, TVec>(ref Unsafe.Add(ref b0, col0 + w), cols1, ref scratch)) : s1); }
            if (TPanels.Count > 2) { s2 = TSimd.Apply<TAct>(hasBias ? TSimd.Add(s2, LoadPartial<TSimd, TVec>(ref Unsafe.Add(ref b0, col0 + 2 * w), cols2, ref scratch)) : s2); }
            if (TPanels.Count > 2) { s3 = TSimd.Apply<TAct>(hasBias ? TSimd.Add(s3, LoadPartial<TSimd, TVec>(ref Unsafe.Add(ref b0, col0 + 3 * w), cols3, ref scratch)) : s3); }
        }

        StorePartial<TSimd, TVec>(s0, ref cz, cols0, ref scratch);
        if (TPanels.Count > 1) { StorePartial<TSimd, TVec>(s1, ref c1, cols1, ref scratch); }
        if (TPanels.Count > 2) { StorePartial<TSimd, TVec>(s2, ref c2, cols2, ref scratch); }
        if (TPanels.Count > 2) { StorePartial<TSimd, TVec>(s3, ref c3, cols3, ref scratch); }
    }

    private readonly struct TileArgs<TVec>(int lda, int ldc, int depth, int cols, TVec bias, bool first, bool last)
        where TVec : struct
    {
        public readonly int Lda = lda;
        public readonly int Ldc = ldc;
        public readonly int Depth = depth;
        public readonly int Cols = cols;
        public readonly TVec Bias = bias;
        public readonly bool First = first;
        public readonly bool Last = last;
    }

    /// <summary>
    /// The micro-kernel: TRows rows of A (stride lda) times one panel (Depth x NR, contiguous) into a TRows x NR
    /// tile of C (stride ldc), of which the first Cols columns are real. Contract: with First, C is never read
    /// (pooled memory is dirty); otherwise the tile continues the sum already in C. With Last, bias and the
    /// activation are applied in registers before the one store. Unused accumulators fold away per TRows.
    /// </summary>
    [SkipLocalsInit]
    private static void Tile<TSimd, TVec, TAct, TRows>(ref float a, ref float panel, ref float c, in TileArgs<TVec> t, ref float scratch)
        where TSimd : struct, ISimd<TVec>
        where TVec : struct
        where TAct : IUnaryOp
        where TRows : IRowCount
    {
        int w = TSimd.Count;
        int lda = t.Lda;
        int ldc = t.Ldc;
        TVec c0 = TSimd.Zero, c1 = TSimd.Zero, c2 = TSimd.Zero, c3 = TSimd.Zero;
        TVec c4 = TSimd.Zero, c5 = TSimd.Zero, c6 = TSimd.Zero, c7 = TSimd.Zero;
        if (!t.First)
        {
            c0 = LoadPartial<TSimd, TVec>(ref c, t.Cols, ref scratch);
            if (TRows.Count > 1) { c1 = LoadPartial<TSimd, TVec>(ref Unsafe.Add(ref c, ldc), t.Cols, ref scratch); }
            if (TRows.Count > 2) { c2 = LoadPartial<TSimd, TVec>(ref Unsafe.Add(ref c, 2 * ldc), t.Cols, ref scratch); }
            if (TRows.Count > 2) { c3 = LoadPartial<TSimd, TVec>(ref Unsafe.Add(ref c, 3 * ldc), t.Cols, ref scratch); }
            if (TRows.Count > 4) { c4 = LoadPartial<TSimd, TVec>(ref Unsafe.Add(ref c, 4 * ldc), t.Cols, ref scratch); }
            if (TRows.Count > 4) { c5 = LoadPartial<TSimd, TVec>(ref Unsafe.Add(ref c, 5 * ldc), t.Cols, ref scratch); }
            if (TRows.Count > 4) { c6 = LoadPartial<TSimd, TVec>(ref Unsafe.Add(ref c, 6 * ldc), t.Cols, ref scratch); }
            if (TRows.Count > 4) { c7 = LoadPartial<TSimd, TVec>(ref Unsafe.Add(ref c, 7 * ldc), t.Cols, ref scratch); }
        }

        ref float a1 = ref Unsafe.Add(ref a, lda);
        ref float a2 = ref Unsafe.Add(ref a, 2 * lda);
        ref float a3 = ref Unsafe.Add(ref a, 3 * lda);
        ref float a4 = ref Unsafe.Add(ref a, 4 * lda);
        ref float a5 = ref Unsafe.Add(ref a, 5 * lda);
        ref float a6 = ref Unsafe.Add(ref a, 6 * lda);
        ref float a7 = ref Unsafe.Add(ref a, 7 * lda);
        int depth = t.Depth;
        for (int p = 0; p < depth; p++)
        {
            TVec bv = TSimd.Load(ref Unsafe.Add(ref panel, p * w));
            c0 = TSimd.MulAdd(TSimd.Broadcast(Unsafe.Add(ref a, p)), bv, c0);
            if (TRows.Count > 1) { c1 = TSimd.MulAdd(TSimd.Broadcast(Unsafe.Add(ref a1, p)), bv, c1); }
            if (TRows.Count > 2) { c2 = TSimd.MulAdd(TSimd.Broadcast(Unsafe.Add(ref a2, p)), bv, c2); }
            if (TRows.Count > 2) { c3 = TSimd.MulAdd(TSimd.Broadcast(Unsafe.Add(ref a3, p)), bv, c3); }
            if (TRows.Count > 4) { c4 = TSimd.MulAdd(TSimd.Broadcast(Unsafe.Add(ref a4, p)), bv, c4); }
            if (TRows.Count > 4) { c5 = TSimd.MulAdd(TSimd.Broadcast(Unsafe.Add(ref a5, p)), bv, c5); }
            if (TRows.Count > 4) { c6 = TSimd.MulAdd(TSimd.Broadcast(Unsafe.Add(ref a6, p)), bv, c6); }
            if (TRows.Count > 4) { c7 = TSimd.MulAdd(TSimd.Broadcast(Unsafe.Add(ref a7, p)), bv, c7); }
        }

        if (t.Last)
        {
            c0 = TSimd.Apply<TAct>(TSimd.Add(c0, t.Bias));
            if (TRows.Count > 1) { c1 = TSimd.Apply<TAct>(TSimd.Add(c1, t.Bias)); }
            if (TRows.Count > 2) { c2 = TSimd.Apply<TAct>(TSimd.Add(c2, t.Bias)); }
            if (TRows.Count > 2) { c3 = TSimd.Apply<TAct>(TSimd.Add(c3, t.Bias)); }
            if (TRows.Count > 4) { c4 = TSimd.Apply<TAct>(TSimd.Add(c4, t.Bias)); }
            if (TRows.Count > 4) { c5 = TSimd.Apply<TAct>(TSimd.Add(c5, t.Bias)); }
            if (TRows.Count > 4) { c6 = TSimd.Apply<TAct>(TSimd.Add(c6, t.Bias)); }
            if (TRows.Count > 4) { c7 = TSimd.Apply<TAct>(TSimd.Add(c7, t.Bias)); }
        }

        StorePartial<TSimd, TVec>(c0, ref c, t.Cols, ref scratch);
        if (TRows.Count > 1) { StorePartial<TSimd, TVec>(c1, ref Unsafe.Add(ref c, ldc), t.Cols, ref scratch); }
        if (TRows.Count > 2) { StorePartial<TSimd, TVec>(c2, ref Unsafe.Add(ref c, 2 * ldc), t.Cols, ref scratch); }
        if (TRows.Count > 2) { StorePartial<TSimd, TVec>(c3, ref Unsafe.Add(ref c, 3 * ldc), t.Cols, ref scratch); }
        if (TRows.Count > 4) { StorePartial<TSimd, TVec>(c4, ref Unsafe.Add(ref c, 4 * ldc), t.Cols, ref scratch); }
        if (TRows.Count > 4) { StorePartial<TSimd, TVec>(c5, ref Unsafe.Add(ref c, 5 * ldc), t.Cols, ref scratch); }
        if (TRows.Count > 4) { StorePartial<TSimd, TVec>(c6, ref Unsafe.Add(ref c, 6 * ldc), t.Cols, ref scratch); }
        if (TRows.Count > 4) { StorePartial<TSimd, TVec>(c7, ref Unsafe.Add(ref c, 7 * ldc), t.Cols, ref scratch); }
    }

    /// <summary>
    /// Loads the first <paramref name="count"/> floats into a vector; missing lanes are 0. Never reads past count.
    /// Plain loops rather than Span.CopyTo: a call inside a micro-kernel makes the JIT spill every accumulator
    /// (no vector register survives a call on x64), which cost 4x on the single-row kernel.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static TVec LoadPartial<TSimd, TVec>(ref float source, int count, ref float scratch)
        where TSimd : struct, ISimd<TVec>
        where TVec : struct
    {
        if (count == TSimd.Count)
        {
            return TSimd.Load(ref source);
        }

        for (int i = 0; i < TSimd.Count; i++)
        {
            Unsafe.Add(ref scratch, i) = i < count ? Unsafe.Add(ref source, i) : 0f;
        }

        return TSimd.Load(ref scratch);
    }

    /// <summary>Stores the first <paramref name="count"/> lanes. Never writes past count.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void StorePartial<TSimd, TVec>(TVec value, ref float destination, int count, ref float scratch)
        where TSimd : struct, ISimd<TVec>
        where TVec : struct
    {
        if (count == TSimd.Count)
        {
            TSimd.Store(value, ref destination);
            return;
        }

        TSimd.Store(value, ref scratch);
        for (int i = 0; i < count; i++)
        {
            Unsafe.Add(ref destination, i) = Unsafe.Add(ref scratch, i);
        }
    }
}
