using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace NnSimd.Kernels;

/// <summary>
/// The end of A's rows that a kernel's whole steps do not cover, copied zero-padded to a small buffer: the kernels
/// then run one more whole step (or group of steps) over the copy instead of testing for a short group in the k loop,
/// and never read past A. The padding meets weights packed as 0, so it adds nothing. Where A goes on past the
/// block's last row, the kernels read that step in place instead: the bytes past each row meet the same zero
/// weights, and the byte-by-byte copy cost as much as the products in a layer of k = 50.
/// </summary>
internal static class Int8Tail
{
    /// <summary>Bytes per row in the buffer: the longest tail, 8 steps of 4 bytes (the row kernel on one panel).</summary>
    public const int Stride = 32;

    /// <summary>The buffer's size: one row per row of the largest tile.</summary>
    public const int Bytes = 6 * Stride;

    /// <summary>
    /// Bytes [<paramref name="from"/>, k) of <paramref name="rows"/> rows of A (k apart) to tail (<see cref="Stride"/>
    /// apart), each padded with 0 to <paramref name="length"/>. With AVX-512 a row is one masked load, which cannot
    /// fault past A, and one store; the byte loop it replaces, and the stalled load of its bytes that followed, took
    /// 11-16% of the all-int8 book network's time at batch 1 on Zen 5 (three layers, each row's end at A's end).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static unsafe void Copy(ref byte a, int k, int from, int rows, int length, ref byte tail)
    {
        Debug.Assert(from < k && k - from <= length && length <= Stride, "a short rest of each row, within a row of the buffer");
        if (Avx512BW.VL.IsSupported)
        {
            Vector256<byte> mask = Vector256.LessThan(Vector256<byte>.Indices, Vector256.Create((byte)(k - from)));
            for (int r = 0; r < rows; r++)
            {
                fixed (byte* p = &Unsafe.Add(ref a, (r * k) + from))
                {
                    Avx512BW.VL.MaskLoad(p, mask, Vector256<byte>.Zero).StoreUnsafe(ref Unsafe.Add(ref tail, r * Stride));
                }
            }

            return;
        }

        for (int r = 0; r < rows; r++)
        {
            for (int i = 0; i < length; i++)
            {
                Unsafe.Add(ref tail, (r * Stride) + i) = from + i < k ? Unsafe.Add(ref a, (r * k) + from + i) : (byte)0;
            }
        }
    }
}
