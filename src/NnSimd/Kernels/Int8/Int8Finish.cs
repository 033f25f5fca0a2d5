using System.Diagnostics;
using System.Runtime.CompilerServices;
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
