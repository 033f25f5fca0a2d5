using System.Runtime.CompilerServices;

namespace NnSimd.Internal;

/// <summary>The scalar path: a "vector" of one float, so the same generic kernels serve it.</summary>
internal readonly struct Scalar1 : ISimd<float>
{
    public static int Count => 1;
    public static int Registers => 16;
    public static float Zero => 0f;
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Load(ref float source) => source;
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Store(float value, ref float destination) => destination = value;
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Broadcast(float value) => value;
    // Unfused: without hardware FMA, MathF.FusedMultiplyAdd is a library call per element.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float MulAdd(float a, float b, float c) => a * b + c;
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Add(float a, float b) => a + b;
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Subtract(float a, float b) => a - b;
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Multiply(float a, float b) => a * b;
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Divide(float a, float b) => a / b;
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Max(float a, float b) => MathF.Max(a, b);
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Sum(float value) => value;
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float MaxAcross(float value) => value;
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float KeepFirst(float x, int count, float fill) => count > 0 ? x : fill;
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float LoadFirst(ref float source, int count, ref float scratch) => count > 0 ? source : 0f;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void StoreFirst(float value, ref float destination, int count, ref float scratch)
    {
        if (count > 0)
        {
            destination = value;
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static (float A, float B, float C, float D) WidenBytes(ref byte source) =>
        (source, Unsafe.Add(ref source, 1), Unsafe.Add(ref source, 2), Unsafe.Add(ref source, 3));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float WidenBytesToVector(ref byte source) => source;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void NarrowToBytes(float a, float b, float c, float d, ref byte destination)
    {
        destination = ToByte(a);
        Unsafe.Add(ref destination, 1) = ToByte(b);
        Unsafe.Add(ref destination, 2) = ToByte(c);
        Unsafe.Add(ref destination, 3) = ToByte(d);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void NarrowVectorToBytes(float a, ref byte destination) => destination = ToByte(a);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static byte ToByte(float x) => (byte)MathF.Round(Math.Clamp(x, 0f, 255f));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Apply<TOp>(float x) where TOp : IUnaryOp => TOp.Invoke(x);
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Apply<TOp>(float x, float y) where TOp : IBinaryOp => TOp.Invoke(x, y);
}
