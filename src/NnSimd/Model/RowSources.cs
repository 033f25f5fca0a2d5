using NnSimd.Kernels;

namespace NnSimd.Model;

/// <summary>
/// Where a forward pass's input rows come from. The caller's memory is pinned for the call and held as a pointer,
/// so a source can be handed to the workspace's threads without allocating.
/// </summary>
internal interface IRowSource
{
    /// <summary>Rows <c>[start, start + count)</c> as floats, in the caller's memory or converted into the lane's.</summary>
    ReadOnlySpan<float> Rows(int start, int count, InferenceWorkspace.Lane lane);
}

/// <summary>Float rows <c>[rows x width]</c>, read where they are.</summary>
internal readonly unsafe struct FloatRows(float* rows, int width) : IRowSource
{
    public ReadOnlySpan<float> Rows(int start, int count, InferenceWorkspace.Lane lane) =>
        new(rows + ((long)start * width), count * width);
}

/// <summary>Byte rows <c>[rows x width]</c>, converted block by block as <c>byte / divisor</c>.</summary>
internal readonly unsafe struct ByteRows(byte* rows, int width, float divisor) : IRowSource
{
    public ReadOnlySpan<float> Rows(int start, int count, InferenceWorkspace.Lane lane)
    {
        Span<float> converted = lane.Input(count * width);
        ByteScaling.Divide(new ReadOnlySpan<byte>(rows + ((long)start * width), count * width), divisor, converted);
        return converted;
    }
}
