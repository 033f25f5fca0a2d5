using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace NnSimd.Kernels;

/// <summary>
/// One way to multiply unsigned bytes of A by signed weights of B into exact int32 sums: per step, every lane of
/// <typeparamref name="TAcc"/> (one output column) adds <see cref="Group"/> products of consecutive k. The packed B
/// holds, per step, <see cref="Lanes"/> columns x <see cref="Group"/> values of <see cref="ElementBytes"/> bytes
/// each; A is broadcast one whole group at a time (a row's last, short group is read whole, in place or from a
/// zero-padded copy at A's end, against zero weights past k, so the k loop never tests for it). Every strategy sums
/// the same integers exactly, so they all give the same int32 results; only their speed differs.
/// <typeparamref name="TVec"/> is the float vector of the same lanes, for the epilogue.
/// </summary>
internal interface IDot<TAcc, TVec>
    where TAcc : struct
    where TVec : struct
{
    /// <summary>int32 lanes per vector: output columns per panel.</summary>
    static abstract int Lanes { get; }

    /// <summary>Products of consecutive k per lane per step.</summary>
    static abstract int Group { get; }

    /// <summary>Bytes per packed weight: 1 (sbyte) or 2 (the weight widened to int16).</summary>
    static abstract int ElementBytes { get; }

    static abstract TAcc Zero { get; }

    /// <summary>One step of a panel: <see cref="Lanes"/> x <see cref="Group"/> weights.</summary>
    static abstract TAcc Load(ref byte panel);

    /// <summary>The <see cref="Group"/> bytes of A at <paramref name="a"/> (all readable), in every lane.</summary>
    static abstract TAcc Broadcast(ref byte a);

    /// <summary>acc + the products of each lane's group of a and b.</summary>
    static abstract TAcc Dot(TAcc acc, TAcc a, TAcc b);

    /// <summary>x + y, lane by lane: partial sums of the same columns (exact, so the order does not matter).</summary>
    static abstract TAcc Add(TAcc x, TAcc y);

    static abstract TVec ToFloat(TAcc acc);
}

/// <summary>
/// AVX-VNNI: VPDPBUSD on 256 bits, 8 columns x 4 products per instruction, four times the multiply-adds of an fp32
/// FMA of the same width. (.NET 10 exposes VPDPBUSD at 256 bits only; the 512-bit form has no managed API yet.)
/// </summary>
internal readonly struct Vnni256 : IDot<Vector256<int>, Vector256<float>>
{
    public static int Lanes => 8;
    public static int Group => 4;
    public static int ElementBytes => 1;
    public static Vector256<int> Zero => Vector256<int>.Zero;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<int> Load(ref byte panel) => Vector256.LoadUnsafe(ref panel).AsInt32();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<int> Broadcast(ref byte a) => Vector256.Create(Unsafe.ReadUnaligned<int>(ref a));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<int> Dot(Vector256<int> acc, Vector256<int> a, Vector256<int> b) =>
        AvxVnni.MultiplyWideningAndAdd(acc, a.AsByte(), b.AsSByte());

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<int> Add(Vector256<int> x, Vector256<int> y) => x + y;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> ToFloat(Vector256<int> acc) => Vector256.ConvertToSingle(acc);
}

/// <summary>
/// AVX2 without VNNI: VPMADDWD on int16, 8 columns x 2 products per instruction. The bytes and weights are widened
/// to int16 first (weights when packed, A when broadcast), so every product and pair sum is exact. VPMADDUBSW would
/// take the bytes as they are, but it adds its pairs in int16 with saturation: 255 x 127 x 2 = 64,770 overflows
/// 32,767, so it would clip real inputs; it is not used.
/// </summary>
internal readonly struct Madd256 : IDot<Vector256<int>, Vector256<float>>
{
    public static int Lanes => 8;
    public static int Group => 2;
    public static int ElementBytes => 2;
    public static Vector256<int> Zero => Vector256<int>.Zero;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<int> Load(ref byte panel) => Vector256.LoadUnsafe(ref panel).AsInt32();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<int> Broadcast(ref byte a) =>
        Avx2.ConvertToVector256Int16(Vector128.Create(Unsafe.ReadUnaligned<ushort>(ref a)).AsByte()).AsInt32(); // a0, a1, a0, a1, ... as int16

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<int> Dot(Vector256<int> acc, Vector256<int> a, Vector256<int> b) =>
        acc + Avx2.MultiplyAddAdjacent(a.AsInt16(), b.AsInt16());

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<int> Add(Vector256<int> x, Vector256<int> y) => x + y;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> ToFloat(Vector256<int> acc) => Vector256.ConvertToSingle(acc);
}

/// <summary>The scalar strategy: one column, one product per step.</summary>
internal readonly struct DotScalar : IDot<int, float>
{
    public static int Lanes => 1;
    public static int Group => 1;
    public static int ElementBytes => 1;
    public static int Zero => 0;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int Load(ref byte panel) => (sbyte)panel;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int Broadcast(ref byte a) => a;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int Dot(int acc, int a, int b) => acc + (a * b);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int Add(int x, int y) => x + y;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float ToFloat(int acc) => acc;
}
