using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace NnSimd.Internal;

/// <summary>AVX-512: 16 floats per vector, 32 registers. Masked loads and stores are single instructions that cannot fault on the lanes they leave alone.</summary>
internal readonly struct Simd512 : ISimd<Vector512<float>>
{
    public static int Count => Vector512<float>.Count;
    public static int Registers => 32;
    public static Vector512<float> Zero => Vector512<float>.Zero;
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Load(ref float source) => Vector512.LoadUnsafe(ref source);
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Store(Vector512<float> value, ref float destination) => value.StoreUnsafe(ref destination);
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Broadcast(float value) => Vector512.Create(value);
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> MulAdd(Vector512<float> a, Vector512<float> b, Vector512<float> c) =>
        Vector512.FusedMultiplyAdd(a, b, c);
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Add(Vector512<float> a, Vector512<float> b) => a + b;
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Subtract(Vector512<float> a, Vector512<float> b) => a - b;
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Multiply(Vector512<float> a, Vector512<float> b) => a * b;
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Divide(Vector512<float> a, Vector512<float> b) => a / b;
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Max(Vector512<float> a, Vector512<float> b) => Vector512.Max(a, b);
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Sum(Vector512<float> value) => Vector512.Sum(value);
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float MaxAcross(Vector512<float> value) =>
        Simd256.MaxAcross(Vector256.Max(value.GetLower(), value.GetUpper()));
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> KeepFirst(Vector512<float> x, int count, float fill) =>
        Vector512.ConditionalSelect(Vector512.LessThan(Vector512<int>.Indices, Vector512.Create(count)).AsSingle(), x, Vector512.Create(fill));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static unsafe Vector512<float> LoadFirst(ref float source, int count, ref float scratch)
    {
        if (count == Count)
        {
            return Load(ref source);
        }

        if (Avx512F.IsSupported)
        {
            fixed (float* p = &source)
            {
                return Avx512F.MaskLoad(p, Mask(count), Vector512<float>.Zero);
            }
        }

        return Lanes.LoadFirst<Simd512, Vector512<float>>(ref source, count, ref scratch);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static unsafe void StoreFirst(Vector512<float> value, ref float destination, int count, ref float scratch)
    {
        if (count == Count)
        {
            Store(value, ref destination);
            return;
        }

        if (Avx512F.IsSupported)
        {
            fixed (float* p = &destination)
            {
                Avx512F.MaskStore(p, Mask(count), value);
            }

            return;
        }

        Lanes.StoreFirst<Simd512, Vector512<float>>(value, ref destination, count, ref scratch);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<float> Mask(int count) =>
        Vector512.LessThan(Vector512<int>.Indices, Vector512.Create(count)).AsSingle();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static (Vector512<float> A, Vector512<float> B, Vector512<float> C, Vector512<float> D) WidenBytes(ref byte source)
    {
        (Vector512<ushort> lo, Vector512<ushort> hi) = Vector512.Widen(Vector512.LoadUnsafe(ref source));
        (Vector512<uint> a, Vector512<uint> b) = Vector512.Widen(lo);
        (Vector512<uint> c, Vector512<uint> d) = Vector512.Widen(hi);
        return (Vector512.ConvertToSingle(a), Vector512.ConvertToSingle(b), Vector512.ConvertToSingle(c), Vector512.ConvertToSingle(d));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> WidenBytesToVector(ref byte source)
    {
        Vector256<ushort> words = Vector256.WidenLower(Vector128.LoadUnsafe(ref source).ToVector256Unsafe());
        return Vector512.ConvertToSingle(Vector512.WidenLower(words.ToVector512Unsafe()));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void NarrowToBytes(Vector512<float> a, Vector512<float> b, Vector512<float> c, Vector512<float> d, ref byte destination)
    {
        Vector512<ushort> lo = Vector512.Narrow(ToUInt32(a), ToUInt32(b));
        Vector512<ushort> hi = Vector512.Narrow(ToUInt32(c), ToUInt32(d));
        Vector512.Narrow(lo, hi).StoreUnsafe(ref destination);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void NarrowVectorToBytes(Vector512<float> a, ref byte destination)
    {
        Vector512<ushort> words = Vector512.Narrow(ToUInt32(a), Vector512<uint>.Zero);
        Vector512.Narrow(words, Vector512<ushort>.Zero).GetLower().GetLower().StoreUnsafe(ref destination);
    }

    // Clamped first, so the conversion is exact and the narrowing never truncates.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<uint> ToUInt32(Vector512<float> x) =>
        Vector512.ConvertToUInt32(Vector512.Round(Vector512.Min(Vector512.Max(x, Vector512<float>.Zero), Vector512.Create(255f))));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Apply<TOp>(Vector512<float> x) where TOp : IUnaryOp => TOp.Invoke(x);
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Apply<TOp>(Vector512<float> x, Vector512<float> y) where TOp : IBinaryOp => TOp.Invoke(x, y);
}
