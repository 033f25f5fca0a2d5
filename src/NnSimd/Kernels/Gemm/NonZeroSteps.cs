using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace NnSimd.Kernels;

/// <summary>
/// The steps of k at which a row of A (or any of a few rows) is not zero, for the kernels to skip the others. Skipping
/// is exact: at such a step each sum would add ±0 times a finite weight, which is ±0, to a running sum that is never
/// -0 (it starts at +0, and a cancellation rounds to +0), and that leaves the sum's bits as they were. So a row has the
/// same bits whichever kernel computes it and whatever the other rows of its tile are. A weight that is infinite or NaN
/// would turn 0 into NaN, so a matrix with one skips nothing (<see cref="PackedMatrix.IsFinite"/>). MNIST's pixels are
/// 81% zeros, and 55% of the steps are zero in all 8 rows of a tile (the digit's border).
/// </summary>
internal static class NonZeroSteps
{
    /// <summary>The longest run of steps a kernel takes at once: one depth block.</summary>
    public const int Capacity = GemmBlocking.DepthBlock;

    /// <summary>
    /// The least depth at which a tile looks for zero steps: looking reads the tile's rows once more, a few percent of
    /// a tile as deep as 784 (MNIST's first layer); for the 50 or 100 steps of a hidden layer it would cost more,
    /// and sigmoid or tanh outputs are never zero anyway.
    /// </summary>
    public const int TileDepth = 128;

    /// <summary>Entries a buffer needs: one per step, and one vector more that a 512-bit store may write past the count.</summary>
    public const int BufferLength = Capacity + 16;

    /// <summary>0, 1, ..., Capacity - 1: every step, for a matrix whose weights forbid skipping.</summary>
    public static readonly int[] All = Enumerable.Range(0, Capacity).ToArray();

    /// <summary>Of the first steps, how many must be zero in every row for the rest to be looked at (see <see cref="Find"/>).</summary>
    private const int Window = 64;

    /// <summary>
    /// The steps in [0, length) at which one of the <paramref name="rows"/> rows from <paramref name="a"/> (stride
    /// <paramref name="lda"/>) is not ±0, in order, written to <paramref name="buffer"/> (<see cref="BufferLength"/>
    /// entries); NaN counts as not zero. Rows that are dense from the start (more than 7 in 8 of the first 64 steps not
    /// zero: sigmoid or tanh outputs, random data) take every step instead, so they pay for a look at 64 steps, not at
    /// all of them.
    /// </summary>
    public static Steps Find(ref float a, int lda, int rows, int length, ref int buffer)
    {
        int count = Collect(ref a, lda, rows, 0, Math.Min(length, Window), ref buffer, 0);
        if (count * 8 > Window * 7)
        {
            return new Steps(ref All[0], length);
        }

        return new Steps(ref buffer, Collect(ref a, lda, rows, Math.Min(length, Window), length, ref buffer, count));
    }

    /// <summary>Appends to <paramref name="steps"/> (from entry <paramref name="count"/>) the non-zero steps in [from, to); returns the new count.</summary>
    private static int Collect(ref float a, int lda, int rows, int from, int length, ref int steps, int count)
    {
        int q = from;
        if (Avx512F.IsSupported)
        {
            Vector512<int> step = Vector512.Create(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15);
            for (; q <= length - 16; q += 16)
            {
                Vector512<uint> any = Vector512.LoadUnsafe(ref Unsafe.Add(ref a, q)).AsUInt32();
                for (int r = 1; r < rows; r++)
                {
                    any |= Vector512.LoadUnsafe(ref Unsafe.Add(ref a, (r * lda) + q)).AsUInt32();
                }

                // The sign bit aside, a float is ±0 exactly when its bits are 0.
                Vector512<int> nonZero = ~Vector512.Equals(any & Vector512.Create(0x7FFF_FFFFu), Vector512<uint>.Zero).AsInt32();
                Avx512F.Compress(Vector512<int>.Zero, nonZero, step + Vector512.Create(q)).StoreUnsafe(ref Unsafe.Add(ref steps, count));
                count += BitOperations.PopCount(nonZero.ExtractMostSignificantBits());
            }
        }
        else if (Vector256.IsHardwareAccelerated)
        {
            for (; q <= length - 8; q += 8)
            {
                Vector256<uint> any = Vector256.LoadUnsafe(ref Unsafe.Add(ref a, q)).AsUInt32();
                for (int r = 1; r < rows; r++)
                {
                    any |= Vector256.LoadUnsafe(ref Unsafe.Add(ref a, (r * lda) + q)).AsUInt32();
                }

                uint bits = ~Vector256.Equals(any & Vector256.Create(0x7FFF_FFFFu), Vector256<uint>.Zero).ExtractMostSignificantBits() & 0xFF;
                for (; bits != 0; bits &= bits - 1)
                {
                    Unsafe.Add(ref steps, count++) = q + BitOperations.TrailingZeroCount(bits);
                }
            }
        }

        for (; q < length; q++)
        {
            bool nonZero = false;
            for (int r = 0; r < rows; r++)
            {
                nonZero |= Unsafe.Add(ref a, (r * lda) + q) != 0f; // true for NaN too
            }

            if (nonZero)
            {
                Unsafe.Add(ref steps, count++) = q;
            }
        }

        return count;
    }
}

/// <summary>The steps of k a kernel takes, in order: <see cref="Count"/> indices from <see cref="First"/> on.</summary>
internal readonly ref struct Steps(ref int first, int count)
{
    public readonly ref int First = ref first;
    public readonly int Count = count;
}
