using System.Diagnostics;
using NnSimd.Internal;

namespace NnSimd.Kernels;

/// <summary>
/// C = activation(A . B + bias), row-major: a: [m x k], b: [k x n] packed, bias: [n] (or empty), c: [m x n].
/// Split the BLIS way: packing (<see cref="PackedMatrix"/>), the loops around the kernels
/// (<see cref="MacroKernel"/>), the register-tiled kernels (<see cref="MicroKernel"/>, <see cref="RowKernel"/>,
/// <see cref="TailKernel"/>), block sizes in <see cref="GemmBlocking"/>. The bias and the activation are an
/// <see cref="IEpilogue"/> applied while a tile is in registers, so C is written once and never read first. Each element of C is summed over
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

        // B is packed for the process's width when it is built, and the width never changes within a process.
        Debug.Assert(b.PanelWidth == Simd.Lanes, "B packed for another vector width");
        var call = new Call(a, m, k, b, bias, c);
        EpilogueDispatch.Run(ref call, activation, b.Columns <= Simd.Lanes && b.TailColumns == 0, c, b.Columns);
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

    /// <summary>The GEMM's arguments; with its epilogue chosen, it is run at this process's vector width.</summary>
    private readonly ref struct Call(ReadOnlySpan<float> a, int m, int k, PackedMatrix b, ReadOnlySpan<float> bias, Span<float> c)
        : IEpilogueKernel
    {
        private readonly ReadOnlySpan<float> _a = a;
        private readonly ReadOnlySpan<float> _bias = bias;
        private readonly Span<float> _c = c;

        public void Run<TEpi>()
            where TEpi : IEpilogue
        {
            var call = new WidthCall<TEpi>(_a, m, k, b, _bias, _c);
            VectorDispatch.Run(ref call);
        }
    }

    private readonly ref struct WidthCall<TEpi>(ReadOnlySpan<float> a, int m, int k, PackedMatrix b, ReadOnlySpan<float> bias, Span<float> c)
        : IVectorKernel
        where TEpi : IEpilogue
    {
        private readonly ReadOnlySpan<float> _a = a;
        private readonly ReadOnlySpan<float> _bias = bias;
        private readonly Span<float> _c = c;

        public void Run<TSimd, TVec>()
            where TSimd : struct, ISimd<TVec>
            where TVec : struct => MacroKernel.Run<TSimd, TVec, TEpi>(_a, m, k, b, _bias, _c);
    }
}
