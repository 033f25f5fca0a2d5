using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.Arm;
using System.Runtime.Intrinsics.X86;

namespace NnSimd.Internal;

/// <summary>SSE or Arm NEON (128-bit vectors): 4 floats per vector, 16 registers (32 on Arm; 16 is the safe bound).</summary>
internal readonly struct Simd128 : ISimd<Vector128<float>>
{
    public static int Count => Vector128<float>.Count;
    public static int Registers => 16;
    public static Vector128<float> Zero => Vector128<float>.Zero;
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> Load(ref float source) => Vector128.LoadUnsafe(ref source);
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Store(Vector128<float> value, ref float destination) => value.StoreUnsafe(ref destination);
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> Broadcast(float value) => Vector128.Create(value);
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> MulAdd(Vector128<float> a, Vector128<float> b, Vector128<float> c) =>
        Fma.IsSupported ? Fma.MultiplyAdd(a, b, c) :
        AdvSimd.IsSupported ? AdvSimd.FusedMultiplyAdd(c, a, b) :
        a * b + c;
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> Add(Vector128<float> a, Vector128<float> b) => a + b;
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> Subtract(Vector128<float> a, Vector128<float> b) => a - b;
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> Multiply(Vector128<float> a, Vector128<float> b) => a * b;
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> Divide(Vector128<float> a, Vector128<float> b) => a / b;
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> Max(Vector128<float> a, Vector128<float> b) => Vector128.Max(a, b);
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Sum(Vector128<float> value) => Vector128.Sum(value);
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float MaxAcross(Vector128<float> value)
    {
        float m = MathF.Max(value.GetElement(0), value.GetElement(1));
        return MathF.Max(m, MathF.Max(value.GetElement(2), value.GetElement(3)));
    }
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> KeepFirst(Vector128<float> x, int count, float fill) =>
        Vector128.ConditionalSelect(Vector128.LessThan(Vector128<int>.Indices, Vector128.Create(count)).AsSingle(), x, Vector128.Create(fill));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static unsafe Vector128<float> LoadFirst(ref float source, int count, ref float scratch)
    {
        if (count == Count)
        {
            return Load(ref source);
        }

        if (Avx.IsSupported)
        {
            fixed (float* p = &source)
            {
                return Avx.MaskLoad(p, Vector128.LessThan(Vector128<int>.Indices, Vector128.Create(count)).AsSingle());
            }
        }

        return Lanes.LoadFirst<Simd128, Vector128<float>>(ref source, count, ref scratch);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static unsafe void StoreFirst(Vector128<float> value, ref float destination, int count, ref float scratch)
    {
        if (count == Count)
        {
            Store(value, ref destination);
            return;
        }

        // Lane by lane, as Simd256 does.
        Lanes.StoreFirst<Simd128, Vector128<float>>(value, ref destination, count, ref scratch);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static (Vector128<float> A, Vector128<float> B, Vector128<float> C, Vector128<float> D) WidenBytes(ref byte source)
    {
        (Vector128<ushort> lo, Vector128<ushort> hi) = Vector128.Widen(Vector128.LoadUnsafe(ref source));
        (Vector128<uint> a, Vector128<uint> b) = Vector128.Widen(lo);
        (Vector128<uint> c, Vector128<uint> d) = Vector128.Widen(hi);
        return (Vector128.ConvertToSingle(a), Vector128.ConvertToSingle(b), Vector128.ConvertToSingle(c), Vector128.ConvertToSingle(d));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> WidenBytesToVector(ref byte source)
    {
        Vector128<ushort> words = Vector128.WidenLower(Vector128.CreateScalarUnsafe(Unsafe.ReadUnaligned<uint>(ref source)).AsByte());
        return Vector128.ConvertToSingle(Vector128.WidenLower(words));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void NarrowToBytes(Vector128<float> a, Vector128<float> b, Vector128<float> c, Vector128<float> d, ref byte destination)
    {
        Vector128<ushort> lo = Vector128.Narrow(ToUInt32(a), ToUInt32(b));
        Vector128<ushort> hi = Vector128.Narrow(ToUInt32(c), ToUInt32(d));
        Vector128.Narrow(lo, hi).StoreUnsafe(ref destination);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void NarrowVectorToBytes(Vector128<float> a, ref byte destination)
    {
        Vector128<ushort> words = Vector128.Narrow(ToUInt32(a), Vector128<uint>.Zero);
        Unsafe.WriteUnaligned(ref destination, Vector128.Narrow(words, Vector128<ushort>.Zero).AsUInt32().ToScalar());
    }

    // Clamped first, so the conversion is exact and the narrowing never truncates.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector128<uint> ToUInt32(Vector128<float> x) =>
        Vector128.ConvertToUInt32(Vector128.Round(Vector128.Min(Vector128.Max(x, Vector128<float>.Zero), Vector128.Create(255f))));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> Apply<TOp>(Vector128<float> x) where TOp : IUnaryOp => TOp.Invoke(x);
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> Apply<TOp>(Vector128<float> x, Vector128<float> y) where TOp : IBinaryOp => TOp.Invoke(x, y);
}
