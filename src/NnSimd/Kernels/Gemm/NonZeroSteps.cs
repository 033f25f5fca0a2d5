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
/// would turn 0 into NaN, so a matrix with one skips nothing (<see cref="PackedMatrix.IsFinite"/>). The int8 kernels
/// skip groups of 4 bytes where every byte is zero (<see cref="FindGroups"/>), which is exact for any weights: their
/// sums are integers. MNIST's pixels are 81% zeros; 55% of the steps are zero in all 8 rows of a float tile (the
/// digit's border), 48% of the groups in all 6 rows of an int8 tile, 72% in a single image.
/// </summary>
internal static class NonZeroSteps
{
    /// <summary>The longest run of steps a kernel takes at once: one depth block.</summary>
    public const int Capacity = GemmBlocking.DepthBlock;

    /// <summary>
    /// The least depth at which a kernel looks for zero steps: looking reads the rows once more, a few percent of a
    /// tile as deep as 784 (MNIST's first layer); for the 50 or 100 steps of a hidden layer it would cost more, and
    /// sigmoid or tanh outputs are never zero anyway (looking at them cost 4% of a dense image at batch 1).
    /// </summary>
    public const int TileDepth = 128;

    /// <summary>Entries a buffer needs: one per step, and one vector more that a 512-bit store may write past the count.</summary>
    public const int BufferLength = Capacity + 16;

    /// <summary>0, 1, ..., Capacity - 1: every step, for rows dense from their start (see <see cref="Window"/>).</summary>
    public static readonly int[] All = Enumerable.Range(0, Capacity).ToArray();

    /// <summary>Whether <paramref name="steps"/> leaves some out: a list found by Find, not every step (nor none given).</summary>
    public static bool Skips(Steps steps) => !Unsafe.IsNullRef(ref steps.First) && !Unsafe.AreSame(ref steps.First, ref All[0]);

    /// <summary>
    /// How many steps are looked at first: if more than 7 in 8 of them are not zero, the rows are taken as dense and
    /// every step is taken (see <see cref="Find(ref float, int, int, int, ref int)"/>).
    /// </summary>
    private const int Window = 64;

    /// <summary>
    /// The steps in [0, length) at which one of the <paramref name="rows"/> rows from <paramref name="a"/> (stride
    /// <paramref name="lda"/>) is not ±0, in order, written to <paramref name="buffer"/> (<see cref="BufferLength"/>
    /// entries); NaN counts as not zero. Rows that are dense from the start (more than 7 in 8 of the first 64 steps not
    /// zero: sigmoid or tanh outputs, random data) take every step instead, so they pay for a look at 64 steps, not at
    /// all of them.
    /// </summary>
    public static Steps Find(ref float a, int lda, int rows, int length, ref int buffer) =>
        Find(ref Unsafe.As<float, byte>(ref a), lda * sizeof(float), rows, length, FloatBits, ref buffer);

    /// <summary>
    /// As <see cref="Find(ref float, int, int, int, ref int)"/> for rows of bytes (stride <paramref name="lda"/>
    /// bytes) in groups of 4, the unit of the int8 kernels: the groups in [0, groups) that are not all zero in one of
    /// the rows.
    /// </summary>
    public static Steps FindGroups(ref byte a, int lda, int rows, int groups, ref int buffer) =>
        Find(ref a, lda, rows, groups, uint.MaxValue, ref buffer);

    /// <summary>Every bit of a float but the sign: ±0 exactly when these are all 0.</summary>
    private const uint FloatBits = 0x7FFF_FFFF;

    private static Steps Find(ref byte a, int lda, int rows, int length, uint bits, ref int buffer)
    {
        int first = Math.Min(length, Window);
        int count = Collect(ref a, lda, rows, 0, first, bits, ref buffer, 0);
        if (count * 8 > first * 7)
        {
            return new Steps(ref All[0], length);
        }

        return new Steps(ref buffer, Collect(ref a, lda, rows, first, length, bits, ref buffer, count));
    }

    /// <summary>
    /// Appends to <paramref name="steps"/> (from entry <paramref name="count"/>) each q in [from, to) whose 4 bytes
    /// at 4 q, masked by <paramref name="bits"/>, are not all zero in one of the rows (<paramref name="lda"/> bytes
    /// apart); returns the new count.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // a kernel's loop: optimized from the first call, as they are
    private static int Collect(ref byte a, int lda, int rows, int from, int to, uint bits, ref int steps, int count)
    {
        int q = from;
        if (Avx512F.IsSupported)
        {
            Vector512<int> step = Vector512.Create(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15);
            for (; q <= to - 16; q += 16)
            {
                Vector512<uint> any = Vector512.LoadUnsafe(ref Unsafe.Add(ref a, 4 * q)).AsUInt32();
                for (int r = 1; r < rows; r++)
                {
                    any |= Vector512.LoadUnsafe(ref Unsafe.Add(ref a, (r * lda) + (4 * q))).AsUInt32();
                }

                Vector512<int> nonZero = ~Vector512.Equals(any & Vector512.Create(bits), Vector512<uint>.Zero).AsInt32();
                Avx512F.Compress(Vector512<int>.Zero, nonZero, step + Vector512.Create(q)).StoreUnsafe(ref Unsafe.Add(ref steps, count));
                count += BitOperations.PopCount(nonZero.ExtractMostSignificantBits());
            }
        }
        else if (Vector256.IsHardwareAccelerated)
        {
            for (; q <= to - 8; q += 8)
            {
                Vector256<uint> any = Vector256.LoadUnsafe(ref Unsafe.Add(ref a, 4 * q)).AsUInt32();
                for (int r = 1; r < rows; r++)
                {
                    any |= Vector256.LoadUnsafe(ref Unsafe.Add(ref a, (r * lda) + (4 * q))).AsUInt32();
                }

                uint found = ~Vector256.Equals(any & Vector256.Create(bits), Vector256<uint>.Zero).ExtractMostSignificantBits() & 0xFF;
                for (; found != 0; found &= found - 1)
                {
                    Unsafe.Add(ref steps, count++) = q + BitOperations.TrailingZeroCount(found);
                }
            }
        }

        for (; q < to; q++)
        {
            uint any = 0;
            for (int r = 0; r < rows; r++)
            {
                any |= Unsafe.ReadUnaligned<uint>(ref Unsafe.Add(ref a, (r * lda) + (4 * q)));
            }

            if ((any & bits) != 0)
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

/// <summary>
/// Which steps a kernel loop takes, known to the JIT: every one in order (entry e is step e), or those of a list.
/// A kernel specialised per order keeps its loop over every step free of the list's loads and of a branch.
/// </summary>
internal interface IStepOrder
{
    /// <summary>Whether the steps come from a list (and some are left out), not every one in order.</summary>
    static abstract bool Listed { get; }

    /// <summary>The step of entry <paramref name="e"/>.</summary>
    static abstract nint At(ref int list, int e);
}

/// <summary>Every step: entry e is step e.</summary>
internal readonly struct EveryStep : IStepOrder
{
    public static bool Listed => false;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static nint At(ref int list, int e) => e;
}

/// <summary>The listed steps: entry e is list[e].</summary>
internal readonly struct ListedSteps : IStepOrder
{
    public static bool Listed => true;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static nint At(ref int list, int e) => Unsafe.Add(ref list, e);
}
