using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using NnSimd.Internal;

namespace NnSimd.Kernels;

/// <summary>The int8 kernels' epilogue: every kernel finishes an accumulator with the same float operations, so a row's bits do not depend on the kernel.</summary>
internal static class Int8Finish
{
    /// <summary>The value to store: epilogue(float(sum) (row scale x column scale), bias), two roundings, unfused, the same on every strategy.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static TVec Value<TDot, TAcc, TSimd, TVec, TEpi>(TAcc sum, float rowScale, TVec colScale, TVec bias, int cols, ref int deferred, int row)
        where TDot : IDot<TAcc, TVec>
        where TAcc : struct
        where TSimd : struct, ISimd<TVec>
        where TVec : struct
        where TEpi : IEpilogue =>
        Scaled<TSimd, TVec, TEpi>(TDot.ToFloat(sum), rowScale, colScale, bias, cols, ref deferred, row);

    /// <summary>
    /// <see cref="Value"/> from sums already converted to float (as <see cref="Int8DotColumns"/> stores them): the one
    /// place the scales, bias and epilogue are applied, so every kernel's floats round alike.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static TVec Scaled<TSimd, TVec, TEpi>(TVec sum, float rowScale, TVec colScale, TVec bias, int cols, ref int deferred, int row)
        where TSimd : struct, ISimd<TVec>
        where TVec : struct
        where TEpi : IEpilogue =>
        TEpi.Apply<TSimd, TVec>(TSimd.Multiply(sum, TSimd.Multiply(TSimd.Broadcast(rowScale), colScale)), bias, cols, ref deferred, row);

    /// <summary>
    /// Two 8-lane panels' sums of one row as one 512-bit vector, scaled, biased and finished by the epilogue (a
    /// softmax over up to 16 columns): the same element-wise float operations as <see cref="Value"/> at twice the
    /// width, and then the softmax <see cref="Softmax.Rows"/> computes at 512 bits, so the bits are those of storing
    /// the logits and softmaxing them afterwards. Only with 256-bit accumulators and the 512-bit SIMD path
    /// (<see cref="WideRows"/>).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Wide<TDot, TAcc, TVec, TEpi>(TAcc sum0, TAcc sum1, float rowScale, Vector512<float> colScale, Vector512<float> bias, int cols, ref int deferred, int row)
        where TDot : IDot<TAcc, TVec>
        where TAcc : struct
        where TVec : struct
        where TEpi : IEpilogue
    {
        Debug.Assert(Unsafe.SizeOf<TVec>() == 32, "256-bit float vectors");
        Vector512<float> sum = Vector512.Create(Unsafe.BitCast<TVec, Vector256<float>>(TDot.ToFloat(sum0)), Unsafe.BitCast<TVec, Vector256<float>>(TDot.ToFloat(sum1)));
        return Scaled<Simd512, Vector512<float>, TEpi>(sum, rowScale, colScale, bias, cols, ref deferred, row);
    }

    /// <summary>The column scales and bias of columns [<paramref name="col"/>, + <paramref name="cols"/>) as 512-bit vectors, for <see cref="Wide"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static (Vector512<float> ColScale, Vector512<float> Bias) WideColumns(Int8TileArgs t, int col, int cols)
    {
        ref float scratch = ref t.Scratch;
        Vector512<float> colScale = Simd512.LoadFirst(ref Unsafe.Add(ref t.ColScales, col), cols, ref scratch);
        Vector512<float> bias = t.HasBias ? Simd512.LoadFirst(ref Unsafe.Add(ref t.Bias, col), cols, ref scratch) : Vector512<float>.Zero;
        return (colScale, bias);
    }

    /// <summary>
    /// Whether a row-wise epilogue (softmax) over <paramref name="columns"/> columns of panels of
    /// <paramref name="lanes"/> can be finished in registers: one panel, or two 8-lane panels held as one 512-bit
    /// vector when this process runs 512-bit vectors (its softmax from memory is then 512-bit too).
    /// </summary>
    public static bool RowInRegisters(int columns, int lanes) =>
        columns <= lanes || (lanes == 8 && columns <= 16 && WideRows);

    /// <summary>Whether <see cref="Wide"/> is used: the process's SIMD path is AVX-512.</summary>
    public static bool WideRows => Simd.Path == SimdPath.Vector512;

    /// <summary>One row of a tile with an element-wise epilogue: its TPanels (1 or 2) accumulators, stored from <paramref name="destination"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Row<TDot, TAcc, TSimd, TVec, TEpi, TPanels>(
        TAcc sum0, TAcc sum1, float rowScale, TVec colScale0, TVec colScale1, TVec bias0, TVec bias1, int cols0, int cols1, int lanes, ref float destination, ref float scratch)
        where TDot : IDot<TAcc, TVec>
        where TAcc : struct
        where TSimd : struct, ISimd<TVec>
        where TVec : struct
        where TEpi : IEpilogue
        where TPanels : IRowCount
    {
        int deferred = 0;
        TSimd.StoreFirst(Value<TDot, TAcc, TSimd, TVec, TEpi>(sum0, rowScale, colScale0, bias0, cols0, ref deferred, 0), ref destination, cols0, ref scratch);
        if (TPanels.Count > 1)
        {
            TSimd.StoreFirst(Value<TDot, TAcc, TSimd, TVec, TEpi>(sum1, rowScale, colScale1, bias1, cols1, ref deferred, 0), ref Unsafe.Add(ref destination, lanes), cols1, ref scratch);
        }

        Debug.Assert(deferred == 0, "an element-wise epilogue defers nothing");
    }
}
