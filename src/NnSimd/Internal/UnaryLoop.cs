using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace NnSimd.Internal;

/// <summary>
/// The one loop behind every one-operand element-wise kernel: whole vectors, then the tail. The tail goes through a
/// vector too, its missing lanes 0, so every element is computed by the same vector code whatever the span's
/// length: element-wise results never depend on position. The tail is loaded and stored masked on AVX-512 (a stack
/// copy elsewhere): with a copy on every path, the sigmoids of the all-int8 book network at batch 1 (50 and 100
/// values) took 4-5% more of its time on Zen 5.
/// </summary>
internal static class UnaryLoop
{
    // x: [n], y: [n]; y may be x.
    public static void Apply<TOp>(ReadOnlySpan<float> x, Span<float> y) where TOp : IUnaryOp
    {
        Guard.SameLength(x, y, nameof(x), nameof(y));
        Guard.NoPartialOverlap(x, y, nameof(x), nameof(y));
        var call = new Call<TOp>(x, y);
        VectorDispatch.Run(ref call);
    }

    private readonly ref struct Call<TOp>(ReadOnlySpan<float> x, Span<float> y) : IVectorKernel
        where TOp : IUnaryOp
    {
        private readonly ReadOnlySpan<float> _x = x;
        private readonly Span<float> _y = y;

        public void Run<TSimd, TVec>()
            where TSimd : struct, ISimd<TVec>
            where TVec : struct => Loop<TSimd, TVec, TOp>(_x, _y);
    }

    [SkipLocalsInit]
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Loop<TSimd, TVec, TOp>(ReadOnlySpan<float> x, Span<float> y)
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
            ref float scratch = ref MemoryMarshal.GetReference(block);
            TSimd.StoreFirst(TSimd.Apply<TOp>(TSimd.LoadFirst(ref Unsafe.Add(ref xs, i), n - i, ref scratch)), ref Unsafe.Add(ref ys, i), n - i, ref scratch);
        }
    }
}
