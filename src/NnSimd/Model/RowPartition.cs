namespace NnSimd.Model;

/// <summary>
/// How inference and training split rows (or any items computed one by one) into contiguous parts, one per
/// thread. Every item lands in exactly one part, so a result computed item by item is the same for any number
/// of parts.
/// </summary>
internal static class RowPartition
{
    /// <summary>
    /// Part <paramref name="part"/> of <paramref name="parts"/> over <paramref name="count"/> items: a multiple of
    /// 8 items each, so every part but the last keeps the micro-kernel's tiles full. Trailing parts may be empty.
    /// </summary>
    public static (int Start, int Count) Part(int count, int part, int parts)
    {
        int per = ((count + parts - 1) / parts + 7) / 8 * 8;
        int start = Math.Min(count, part * per);
        return (start, Math.Min(per, count - start));
    }
}
