using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
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

        switch (Simd.Path)
        {
            case SimdPath.Vector512: TransposeMultiply<Simd512, Vector512<float>>(x, m, k, dz, n, dw, p0, p1); break;
            case SimdPath.Vector256: TransposeMultiply<Simd256, Vector256<float>>(x, m, k, dz, n, dw, p0, p1); break;
            case SimdPath.Vector128: TransposeMultiply<Simd128, Vector128<float>>(x, m, k, dz, n, dw, p0, p1); break;
            default: TransposeMultiply<Scalar1, float>(x, m, k, dz, n, dw, p0, p1); break;
        }
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
    /// Four rows of dw at a time, one column vector at a time: four accumulators, each fed by a broadcast of
    /// x[r, p] and the vector dz[r, j..]; the loop runs over the batch rows r in order.
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
        int w = TSimd.Count;
        int p = p0;
        for (; p + 4 <= p1; p += 4)
        {
            int j = 0;
            for (; j + w <= n; j += w)
            {
                TVec a0 = TSimd.Zero, a1 = TSimd.Zero, a2 = TSimd.Zero, a3 = TSimd.Zero;
                for (int r = 0; r < m; r++)
                {
                    TVec g = TSimd.Load(ref Unsafe.Add(ref zs, r * n + j));
                    ref float xr = ref Unsafe.Add(ref xs, r * k + p);
                    a0 = TSimd.MulAdd(TSimd.Broadcast(xr), g, a0);
                    a1 = TSimd.MulAdd(TSimd.Broadcast(Unsafe.Add(ref xr, 1)), g, a1);
                    a2 = TSimd.MulAdd(TSimd.Broadcast(Unsafe.Add(ref xr, 2)), g, a2);
                    a3 = TSimd.MulAdd(TSimd.Broadcast(Unsafe.Add(ref xr, 3)), g, a3);
                }

                TSimd.Store(a0, ref Unsafe.Add(ref ws, p * n + j));
                TSimd.Store(a1, ref Unsafe.Add(ref ws, (p + 1) * n + j));
                TSimd.Store(a2, ref Unsafe.Add(ref ws, (p + 2) * n + j));
                TSimd.Store(a3, ref Unsafe.Add(ref ws, (p + 3) * n + j));
            }

            for (; j < n; j++)
            {
                for (int q = p; q < p + 4; q++)
                {
                    Unsafe.Add(ref ws, q * n + j) = ScalarDot(ref xs, ref zs, m, k, n, q, j);
                }
            }
        }

        for (; p < p1; p++)
        {
            for (int j = 0; j < n; j++)
            {
                Unsafe.Add(ref ws, p * n + j) = ScalarDot(ref xs, ref zs, m, k, n, p, j);
            }
        }
    }

    /// <summary>One element, summed over the rows in order with the same rounding as the vector lanes.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static float ScalarDot(ref float xs, ref float zs, int m, int k, int n, int p, int j)
    {
        float acc = 0;
        for (int r = 0; r < m; r++)
        {
            acc = Simd.FusedMultiplyAddScalar(Unsafe.Add(ref xs, r * k + p), Unsafe.Add(ref zs, r * n + j), acc);
        }

        return acc;
    }
}
