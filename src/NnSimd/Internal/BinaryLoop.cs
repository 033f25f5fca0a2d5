using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace NnSimd.Internal;

/// <summary>
/// The one loop behind every two-operand element-wise kernel: whole vectors, then the tail element by element with
/// the operator's scalar form. Both forms do the same IEEE operations in the same order, so an element's result does
/// not depend on whether it fell in a vector or the tail.
/// </summary>
internal static class BinaryLoop
{
    // x: [n], y: [n], z: [n]; z may be x or y. The caller checks the lengths.
    public static void Apply<TOp>(ReadOnlySpan<float> x, ReadOnlySpan<float> y, Span<float> z) where TOp : IBinaryOp
    {
        System.Diagnostics.Debug.Assert(x.Length == y.Length && y.Length == z.Length, "the caller checks the lengths");
        var call = new Call<TOp>(x, y, z);
        VectorDispatch.Run(ref call);
    }

    private readonly ref struct Call<TOp>(ReadOnlySpan<float> x, ReadOnlySpan<float> y, Span<float> z) : IVectorKernel
        where TOp : IBinaryOp
    {
        private readonly ReadOnlySpan<float> _x = x;
        private readonly ReadOnlySpan<float> _y = y;
        private readonly Span<float> _z = z;

        public void Run<TSimd, TVec>()
            where TSimd : struct, ISimd<TVec>
            where TVec : struct => Loop<TSimd, TVec, TOp>(_x, _y, _z);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Loop<TSimd, TVec, TOp>(ReadOnlySpan<float> x, ReadOnlySpan<float> y, Span<float> z)
        where TSimd : struct, ISimd<TVec>
        where TVec : struct
        where TOp : IBinaryOp
    {
        ref float xs = ref MemoryMarshal.GetReference(x);
        ref float ys = ref MemoryMarshal.GetReference(y);
        ref float zs = ref MemoryMarshal.GetReference(z);
        int n = x.Length;
        int w = TSimd.Count;
        int i = 0;
        for (; i <= n - w; i += w)
        {
            TSimd.Store(TSimd.Apply<TOp>(TSimd.Load(ref Unsafe.Add(ref xs, i)), TSimd.Load(ref Unsafe.Add(ref ys, i))), ref Unsafe.Add(ref zs, i));
        }

        for (; i < n; i++)
        {
            Unsafe.Add(ref zs, i) = TOp.Invoke(Unsafe.Add(ref xs, i), Unsafe.Add(ref ys, i));
        }
    }
}
