using NnSimd.Kernels;
using Xunit;

namespace NnSimd.Tests.Kernels;

/// <summary>
/// <see cref="Int8Tail.Copy"/> (a masked load per row with AVX-512, a byte loop without; CI's SIMD knobs run both)
/// against the plain definition: each row's rest, then zeros to the length asked for, the rest of A unread.
/// </summary>
public class Int8TailTests
{
    [Fact]
    public void Every_rest_of_every_row_is_copied_and_zero_padded()
    {
        var rng = new Random(3);
        foreach (int length in new[] { 4, 8, 16, 32 })
        {
            for (int k = 1; k <= 100; k++)
            {
                int from = k - (k % length);
                if (from == k)
                {
                    continue; // no rest: the kernels never copy
                }

                for (int rows = 1; rows <= 6; rows++)
                {
                    // A at the very end of its array, so nothing past it exists to be read by mistake.
                    var a = new byte[rows * k];
                    rng.NextBytes(a);
                    var tail = new byte[Int8Tail.Bytes];
                    Array.Fill(tail, (byte)0xA5);
                    Int8Tail.Copy(ref a[0], k, from, rows, length, ref tail[0]);
                    for (int r = 0; r < rows; r++)
                    {
                        for (int i = 0; i < length; i++)
                        {
                            byte expected = from + i < k ? a[(r * k) + from + i] : (byte)0;
                            Assert.True(expected == tail[(r * Int8Tail.Stride) + i], $"length {length}, k {k}, rows {rows}: row {r} byte {i}");
                        }
                    }
                }
            }
        }
    }
}
