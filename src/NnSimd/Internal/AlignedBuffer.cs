namespace NnSimd.Internal;

/// <summary>
/// 64-byte aligned float storage: a pinned array (it never moves, so an aligned offset stays aligned) with the
/// offset of its first aligned element. Managed memory, so there is nothing to free and nothing to leak.
/// </summary>
internal static class AlignedBuffer
{
    private const int Alignment = 64;

    public static unsafe (float[] Array, int Offset) Allocate(int length)
    {
        const int slack = Alignment / sizeof(float);
        float[] array = GC.AllocateArray<float>(checked(length + slack), pinned: true);
        fixed (float* p = array)
        {
            int misalignment = (int)((nuint)p % Alignment);
            int offset = misalignment == 0 ? 0 : (Alignment - misalignment) / sizeof(float);
            return (array, offset);
        }
    }

    /// <summary><paramref name="length"/> floats starting on a 64-byte boundary, as a segment of a pinned array.</summary>
    public static ArraySegment<float> Segment(int length)
    {
        (float[] array, int offset) = Allocate(length);
        return new ArraySegment<float>(array, offset, length);
    }
}
