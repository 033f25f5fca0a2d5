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
            where TVec : struct => TransposeMultiply<TSimd, TVec>(_x, m, k, _dz, n, _dw, p0, p1);
    }

    /// <summary>db: [n] = the column sums of dz: [m x n], summed over rows in order.</summary>
    public static void ColumnSums(ReadOnlySpan<float> dz, int m, int n, Span<float> db)
    {
        Guard.Shape(dz, m, n, nameof(dz));
        Guard.Length(db, n, nameof(db));
        db.Clear();
        for (int r = 0; r < m; r++)
        {
            ReadOnlySpan<float> row = dz.Slice(r * n, n);
            for (int j = 0; j < n; j++)
            {
                db[j] += row[j];
            }
        }
    }

    /// <summary>
    /// Four rows of dw (p..p+3) by two column vectors (j..j+2w) at a time: eight accumulators, each fed by a
    /// broadcast of x[r, p] and a vector of dz[r, j..]; the loop runs over the batch rows r in order. A partial
    /// column vector is staged through a zero-padded scratch block, so every column goes through the vector code.
    /// </summary>
    [SkipLocalsInit]
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void TransposeMultiply<TSimd, TVec>(ReadOnlySpan<float> x, int m, int k, ReadOnlySpan<float> dz, int n, Span<float> dw, int p0, int p1)
        where TSimd : struct, ISimd<TVec>
        where TVec : struct
    {
        ref float xs = ref MemoryMarshal.GetReference(x);
        ref float zs = ref MemoryMarshal.GetReference(dz);
        ref float ws = ref MemoryMarshal.GetReference(dw);
        Span<float> scratchSpan = stackalloc float[32];
        ref float scratch = ref MemoryMarshal.GetReference(scratchSpan);
        int w = TSimd.Count;
        for (int j = 0; j < n; j += 2 * w)
        {
            int cols0 = Math.Min(w, n - j);
            int cols1 = Math.Clamp(n - j - w, 0, w);
            int p = p0;
            for (; p + 4 <= p1; p += 4)
            {
                TVec a00 = TSimd.Zero, a01 = TSimd.Zero, a10 = TSimd.Zero, a11 = TSimd.Zero;
                TVec a20 = TSimd.Zero, a21 = TSimd.Zero, a30 = TSimd.Zero, a31 = TSimd.Zero;
                for (int r = 0; r < m; r++)
                {
                    ref float zr = ref Unsafe.Add(ref zs, r * n + j);
                    TVec g0 = TSimd.LoadFirst(ref zr, cols0, ref scratch);
                    TVec g1 = cols1 > 0 ? TSimd.LoadFirst(ref Unsafe.Add(ref zr, w), cols1, ref Unsafe.Add(ref scratch, 16)) : TSimd.Zero;
                    ref float xr = ref Unsafe.Add(ref xs, r * k + p);
                    TVec x0 = TSimd.Broadcast(xr);
                    TVec x1 = TSimd.Broadcast(Unsafe.Add(ref xr, 1));
                    TVec x2 = TSimd.Broadcast(Unsafe.Add(ref xr, 2));
                    TVec x3 = TSimd.Broadcast(Unsafe.Add(ref xr, 3));
                    a00 = TSimd.MulAdd(x0, g0, a00);
                    a10 = TSimd.MulAdd(x1, g0, a10);
                    a20 = TSimd.MulAdd(x2, g0, a20);
                    a30 = TSimd.MulAdd(x3, g0, a30);
                    a01 = TSimd.MulAdd(x0, g1, a01);
                    a11 = TSimd.MulAdd(x1, g1, a11);
                    a21 = TSimd.MulAdd(x2, g1, a21);
                    a31 = TSimd.MulAdd(x3, g1, a31);
                }

                ref float d = ref Unsafe.Add(ref ws, p * n + j);
                TSimd.StoreFirst(a00, ref d, cols0, ref scratch);
                TSimd.StoreFirst(a10, ref Unsafe.Add(ref d, n), cols0, ref scratch);
                TSimd.StoreFirst(a20, ref Unsafe.Add(ref d, 2 * n), cols0, ref scratch);
                TSimd.StoreFirst(a30, ref Unsafe.Add(ref d, 3 * n), cols0, ref scratch);
                if (cols1 > 0)
                {
                    TSimd.StoreFirst(a01, ref Unsafe.Add(ref d, w), cols1, ref scratch);
                    TSimd.StoreFirst(a11, ref Unsafe.Add(ref d, n + w), cols1, ref scratch);
                    TSimd.StoreFirst(a21, ref Unsafe.Add(ref d, 2 * n + w), cols1, ref scratch);
                    TSimd.StoreFirst(a31, ref Unsafe.Add(ref d, 3 * n + w), cols1, ref scratch);
                }
            }

            for (; p < p1; p++)
            {
                TVec a0 = TSimd.Zero, a1 = TSimd.Zero;
                for (int r = 0; r < m; r++)
                {
                    ref float zr = ref Unsafe.Add(ref zs, r * n + j);
                    TVec xv = TSimd.Broadcast(Unsafe.Add(ref xs, r * k + p));
                    a0 = TSimd.MulAdd(xv, TSimd.LoadFirst(ref zr, cols0, ref scratch), a0);
                    if (cols1 > 0)
                    {
                        a1 = TSimd.MulAdd(xv, TSimd.LoadFirst(ref Unsafe.Add(ref zr, w), cols1, ref Unsafe.Add(ref scratch, 16)), a1);
                    }
                }

                ref float d = ref Unsafe.Add(ref ws, p * n + j);
                TSimd.StoreFirst(a0, ref d, cols0, ref scratch);
                if (cols1 > 0)
                {
                    TSimd.StoreFirst(a1, ref Unsafe.Add(ref d, w), cols1, ref scratch);
                }
            }
        }
    }
}
