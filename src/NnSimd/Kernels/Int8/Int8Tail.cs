using System.Runtime.CompilerServices;

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

    /// <summary>Bytes [<paramref name="from"/>, k) of <paramref name="rows"/> rows of A (k apart) to tail (<see cref="Stride"/> apart), each padded with 0 to <paramref name="length"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Copy(ref byte a, int k, int from, int rows, int length, ref byte tail)
    {
        for (int r = 0; r < rows; r++)
        {
            for (int i = 0; i < length; i++)
            {
                Unsafe.Add(ref tail, (r * Stride) + i) = from + i < k ? Unsafe.Add(ref a, (r * k) + from + i) : (byte)0;
            }
        }
    }
}
