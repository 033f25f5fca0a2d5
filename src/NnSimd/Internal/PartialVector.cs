using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace NnSimd.Internal;

/// <summary>
/// Loads and stores of a vector's first <c>count</c> lanes, never touching memory past them. With AVX-512 (or
/// AVX for 256- and 128-bit vectors) a masked move does it in one instruction, which cannot fault on the lanes it
/// leaves alone; elsewhere the lanes go one by one through a scratch block. Plain loops rather than Span.CopyTo:
/// a call inside a micro-kernel makes the JIT spill every accumulator (no vector register survives a call on
/// x64), which cost 4x on the single-row GEMM kernel.
/// </summary>
internal static class PartialVector
{
    /// <summary>The first <paramref name="count"/> floats as a vector; the other lanes are 0.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static unsafe TVec Load<TSimd, TVec>(ref float source, int count, ref float scratch)
        where TSimd : struct, ISimd<TVec>
        where TVec : struct
    {
        if (count == TSimd.Count)
        {
            return TSimd.Load(ref source);
        }

        if (typeof(TVec) == typeof(Vector512<float>) && Avx512F.IsSupported)
        {
            fixed (float* p = &source)
            {
                return (TVec)(object)Avx512F.MaskLoad(p, Mask512(count), Vector512<float>.Zero);
            }
        }

        if (typeof(TVec) == typeof(Vector256<float>) && Avx.IsSupported)
        {
            fixed (float* p = &source)
            {
                return (TVec)(object)Avx.MaskLoad(p, Vector256.LessThan(Vector256<int>.Indices, Vector256.Create(count)).AsSingle());
            }
        }

        if (typeof(TVec) == typeof(Vector128<float>) && Avx.IsSupported)
        {
            fixed (float* p = &source)
            {
                return (TVec)(object)Avx.MaskLoad(p, Vector128.LessThan(Vector128<int>.Indices, Vector128.Create(count)).AsSingle());
            }
        }

        for (int i = 0; i < TSimd.Count; i++)
        {
            Unsafe.Add(ref scratch, i) = i < count ? Unsafe.Add(ref source, i) : 0f;
        }

        return TSimd.Load(ref scratch);
    }

    /// <summary>Stores the first <paramref name="count"/> lanes of <paramref name="value"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static unsafe void Store<TSimd, TVec>(TVec value, ref float destination, int count, ref float scratch)
        where TSimd : struct, ISimd<TVec>
        where TVec : struct
    {
        if (count == TSimd.Count)
        {
            TSimd.Store(value, ref destination);
            return;
        }

        if (typeof(TVec) == typeof(Vector512<float>) && Avx512F.IsSupported)
        {
            fixed (float* p = &destination)
            {
                Avx512F.MaskStore(p, Mask512(count), (Vector512<float>)(object)value);
            }

            return;
        }

        // VMASKMOVPS stores are microcoded on AMD cores (published instruction tables; not measured here), so the
        // 256- and 128-bit paths store lane by lane.
        TSimd.Store(value, ref scratch);
        for (int i = 0; i < count; i++)
        {
            Unsafe.Add(ref destination, i) = Unsafe.Add(ref scratch, i);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<float> Mask512(int count) =>
        Vector512.LessThan(Vector512<int>.Indices, Vector512.Create(count)).AsSingle();
}
