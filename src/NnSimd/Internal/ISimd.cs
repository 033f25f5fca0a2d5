using System.Runtime.CompilerServices;

namespace NnSimd.Internal;

/// <summary>
/// One vector width, as static members, so that a kernel is written once as a generic method and the JIT
/// specialises it per width (<see cref="Simd512"/>, <see cref="Simd256"/>, <see cref="Simd128"/>,
/// <see cref="Scalar1"/>); <see cref="VectorDispatch"/> is the one place that picks which. Every member inlines to
/// one or a few instructions; a kernel never tests which width it runs (<c>typeof</c>, <c>Count == 16</c>): what
/// differs between widths is a member here.
/// </summary>
internal interface ISimd<TVec> where TVec : struct
{
    /// <summary>Floats per vector: the GEMM's panel width NR.</summary>
    static abstract int Count { get; }

    /// <summary>Architectural vector registers: how many accumulators a micro-kernel can hold without spilling.</summary>
    static abstract int Registers { get; }

    static abstract TVec Zero { get; }
    static abstract TVec Load(ref float source);
    static abstract void Store(TVec value, ref float destination);
    static abstract TVec Broadcast(float value);

    /// <summary>a * b + c, fused when the hardware fuses (so one path always rounds the same way).</summary>
    static abstract TVec MulAdd(TVec a, TVec b, TVec c);
    static abstract TVec Add(TVec a, TVec b);
    static abstract TVec Subtract(TVec a, TVec b);
    static abstract TVec Multiply(TVec a, TVec b);
    static abstract TVec Divide(TVec a, TVec b);
    static abstract TVec Max(TVec a, TVec b);
    static abstract float Sum(TVec value);
    static abstract float MaxAcross(TVec value);

    /// <summary>Keeps the first <paramref name="count"/> lanes of <paramref name="x"/>, sets the rest to <paramref name="fill"/>.</summary>
    static abstract TVec KeepFirst(TVec x, int count, float fill);

    /// <summary>
    /// The first <paramref name="count"/> floats at <paramref name="source"/> as a vector, the other lanes 0, never
    /// reading past them (a masked load where the hardware has one, else lane by lane through
    /// <paramref name="scratch"/>, one vector long). Loops, not Span.CopyTo: a call inside a micro-kernel makes the
    /// JIT spill every accumulator (no vector register survives a call on x64), which cost 4x on the one-row GEMM.
    /// </summary>
    static abstract TVec LoadFirst(ref float source, int count, ref float scratch);

    /// <summary>Stores the first <paramref name="count"/> lanes of <paramref name="value"/>, never writing past them.</summary>
    static abstract void StoreFirst(TVec value, ref float destination, int count, ref float scratch);

    /// <summary>The 4 <see cref="Count"/> bytes at <paramref name="source"/> as four float vectors, in order.</summary>
    static abstract (TVec A, TVec B, TVec C, TVec D) WidenBytes(ref byte source);

    /// <summary>The <see cref="Count"/> bytes at <paramref name="source"/> as one float vector; reads no byte past them.</summary>
    static abstract TVec WidenBytesToVector(ref byte source);

    /// <summary>
    /// The inverse of <see cref="WidenBytes"/>: each lane of the four vectors clamped to [0, 255], rounded to the
    /// nearest integer (ties to even) and stored as 4 <see cref="Count"/> bytes at <paramref name="destination"/>, in
    /// order. Every width gives the same bytes.
    /// </summary>
    static abstract void NarrowToBytes(TVec a, TVec b, TVec c, TVec d, ref byte destination);

    /// <summary>As <see cref="NarrowToBytes"/> for one vector: <see cref="Count"/> bytes, and none past them, written.</summary>
    static abstract void NarrowVectorToBytes(TVec a, ref byte destination);

    static abstract TVec Apply<TOp>(TVec x) where TOp : IUnaryOp;
    static abstract TVec Apply<TOp>(TVec x, TVec y) where TOp : IBinaryOp;
}

/// <summary>The lane-by-lane fallback of <see cref="ISimd{TVec}.LoadFirst"/> and <see cref="ISimd{TVec}.StoreFirst"/>.</summary>
internal static class Lanes
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static TVec LoadFirst<TSimd, TVec>(ref float source, int count, ref float scratch)
        where TSimd : struct, ISimd<TVec>
        where TVec : struct
    {
        for (int i = 0; i < TSimd.Count; i++)
        {
            Unsafe.Add(ref scratch, i) = i < count ? Unsafe.Add(ref source, i) : 0f;
        }

        return TSimd.Load(ref scratch);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void StoreFirst<TSimd, TVec>(TVec value, ref float destination, int count, ref float scratch)
        where TSimd : struct, ISimd<TVec>
        where TVec : struct
    {
        TSimd.Store(value, ref scratch);
        for (int i = 0; i < count; i++)
        {
            Unsafe.Add(ref destination, i) = Unsafe.Add(ref scratch, i);
        }
    }
}
