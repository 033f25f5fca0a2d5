using System.Runtime.CompilerServices;

namespace NnSimd.Internal;

/// <summary>
/// Loads and stores of a vector's first <c>count</c> lanes, never touching memory past them, staged through a
/// scratch block. Plain loops rather than Span.CopyTo: a call inside a micro-kernel makes the JIT spill every
/// accumulator (no vector register survives a call on x64), which cost 4x on the single-row GEMM kernel.
/// </summary>
internal static class PartialVector
{
    /// <summary>The first <paramref name="count"/> floats as a vector; the other lanes are 0.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static TVec Load<TSimd, TVec>(ref float source, int count, ref float scratch)
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

    /// <summary>Stores the first <paramref name="count"/> lanes of <paramref name="value"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Store<TSimd, TVec>(TVec value, ref float destination, int count, ref float scratch)
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
