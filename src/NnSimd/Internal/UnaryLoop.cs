using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace NnSimd.Internal;

/// <summary>
/// The one loop behind every element-wise kernel: width dispatch, then whole vectors, then the tail.
/// The tail goes through a vector too (copied into a stack block), so every element is computed by the same
/// vector code whatever the span's length: element-wise results never depend on position.
/// </summary>
internal static class UnaryLoop
{
    public static void Apply<TOp>(ReadOnlySpan<float> x, Span<float> y) where TOp : IUnaryOp
    {
        Guard.SameLength(x, y, nameof(x), nameof(y));
        Guard.NoPartialOverlap(x, y, nameof(x), nameof(y));
        switch (Simd.Path)
        {
            case SimdPath.Vector512: Run<Simd512, Vector512<float>, TOp>(x, y); break;
            case SimdPath.Vector256: Run<Simd256, Vector256<float>, TOp>(x, y); break;
            case SimdPath.Vector128: Run<Simd128, Vector128<float>, TOp>(x, y); break;
            default: Run<Scalar1, float, TOp>(x, y); break;
        }
    }

    [SkipLocalsInit]
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Run<TSimd, TVec, TOp>(ReadOnlySpan<float> x, Span<float> y)
        where TSimd : struct, ISimd<TVec>
        where TVec : struct
        where TOp : IUnaryOp
    {
        ref float xs = ref MemoryMarshal.GetReference(x);
        ref float ys = ref MemoryMarshal.GetReference(y);
        int n = x.Length;
        int w = TSimd.Count;
        int i = 0;
        for (; i <= n - w; i += w)
        {
            TSimd.Store(TSimd.Apply<TOp>(TSimd.Load(ref Unsafe.Add(ref xs, i))), ref Unsafe.Add(ref ys, i));
        }

        if (i < n)
        {
            Span<float> block = stackalloc float[16];
            block.Clear();
            x[i..].CopyTo(block);
            ref float b = ref MemoryMarshal.GetReference(block);
            TSimd.Store(TSimd.Apply<TOp>(TSimd.Load(ref b)), ref b);
            block[..(n - i)].CopyTo(y[i..]);
        }
    }
}
