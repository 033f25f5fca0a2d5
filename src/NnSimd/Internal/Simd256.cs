using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace NnSimd.Internal;

/// <summary>AVX2 (or any 256-bit vectors): 8 floats per vector, 16 registers.</summary>
internal readonly struct Simd256 : ISimd<Vector256<float>>
{
    public static int Count => Vector256<float>.Count;
    public static int Registers => 16;
    public static Vector256<float> Zero => Vector256<float>.Zero;
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Load(ref float source) => Vector256.LoadUnsafe(ref source);
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Store(Vector256<float> value, ref float destination) => value.StoreUnsafe(ref destination);
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Broadcast(float value) => Vector256.Create(value);
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> MulAdd(Vector256<float> a, Vector256<float> b, Vector256<float> c) =>
        Fma.IsSupported ? Fma.MultiplyAdd(a, b, c) : a * b + c;
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Add(Vector256<float> a, Vector256<float> b) => a + b;
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Subtract(Vector256<float> a, Vector256<float> b) => a - b;
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Multiply(Vector256<float> a, Vector256<float> b) => a * b;
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Divide(Vector256<float> a, Vector256<float> b) => a / b;
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Max(Vector256<float> a, Vector256<float> b) => Vector256.Max(a, b);
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Sum(Vector256<float> value) => Vector256.Sum(value);
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float MaxAcross(Vector256<float> value) =>
        Simd128.MaxAcross(Vector128.Max(value.GetLower(), value.GetUpper()));
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> KeepFirst(Vector256<float> x, int count, float fill) =>
        Vector256.ConditionalSelect(Vector256.LessThan(Vector256<int>.Indices, Vector256.Create(count)).AsSingle(), x, Vector256.Create(fill));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static unsafe Vector256<float> LoadFirst(ref float source, int count, ref float scratch)
    {
        if (count == Count)
        {
            return Load(ref source);
        }

        if (Avx.IsSupported)
        {
            fixed (float* p = &source)
            {
                return Avx.MaskLoad(p, Vector256.LessThan(Vector256<int>.Indices, Vector256.Create(count)).AsSingle());
            }
        }

        return Lanes.LoadFirst<Simd256, Vector256<float>>(ref source, count, ref scratch);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static unsafe void StoreFirst(Vector256<float> value, ref float destination, int count, ref float scratch)
    {
        if (count == Count)
        {
            Store(value, ref destination);
            return;
        }

        // VMASKMOVPS stores are microcoded on AMD cores (published instruction tables; not measured here), so the
        // 256- and 128-bit paths store lane by lane.
        Lanes.StoreFirst<Simd256, Vector256<float>>(value, ref destination, count, ref scratch);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static (Vector256<float> A, Vector256<float> B, Vector256<float> C, Vector256<float> D) WidenBytes(ref byte source)
    {
        (Vector256<ushort> lo, Vector256<ushort> hi) = Vector256.Widen(Vector256.LoadUnsafe(ref source));
        (Vector256<uint> a, Vector256<uint> b) = Vector256.Widen(lo);
        (Vector256<uint> c, Vector256<uint> d) = Vector256.Widen(hi);
        return (Vector256.ConvertToSingle(a), Vector256.ConvertToSingle(b), Vector256.ConvertToSingle(c), Vector256.ConvertToSingle(d));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> WidenBytesToVector(ref byte source)
    {
        Vector128<ushort> words = Vector128.WidenLower(Vector128.CreateScalarUnsafe(Unsafe.ReadUnaligned<ulong>(ref source)).AsByte());
        return Vector256.ConvertToSingle(Vector256.WidenLower(words.ToVector256Unsafe()));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void NarrowToBytes(Vector256<float> a, Vector256<float> b, Vector256<float> c, Vector256<float> d, ref byte destination)
    {
        Vector256<ushort> lo = Vector256.Narrow(ToUInt32(a), ToUInt32(b));
        Vector256<ushort> hi = Vector256.Narrow(ToUInt32(c), ToUInt32(d));
        Vector256.Narrow(lo, hi).StoreUnsafe(ref destination);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void NarrowVectorToBytes(Vector256<float> a, ref byte destination)
    {
        Vector256<ushort> words = Vector256.Narrow(ToUInt32(a), Vector256<uint>.Zero);
        Unsafe.WriteUnaligned(ref destination, Vector256.Narrow(words, Vector256<ushort>.Zero).AsUInt64().ToScalar());
    }

    // Clamped first, so the conversion is exact and the narrowing never truncates.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<uint> ToUInt32(Vector256<float> x) =>
        Vector256.ConvertToUInt32(Vector256.Round(Vector256.Min(Vector256.Max(x, Vector256<float>.Zero), Vector256.Create(255f))));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Apply<TOp>(Vector256<float> x) where TOp : IUnaryOp => TOp.Invoke(x);
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Apply<TOp>(Vector256<float> x, Vector256<float> y) where TOp : IBinaryOp => TOp.Invoke(x, y);
}
