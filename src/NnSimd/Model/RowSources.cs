using NnSimd.Internal;
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

    /// <summary>
    /// Rows <c>[start, start + count)</c> as unsigned bytes for an int8 first layer, and the scale that makes them
    /// values again (x ≈ scale q): float rows quantized with <paramref name="scale"/>, byte rows as they are.
    /// </summary>
    ReadOnlySpan<byte> Bytes(int start, int count, float scale, InferenceWorkspace.Lane lane, out float rowScale);
}

/// <summary>Float rows <c>[rows x width]</c>, read where they are.</summary>
internal readonly unsafe struct FloatRows(float* rows, int width) : IRowSource
{
    public ReadOnlySpan<float> Rows(int start, int count, InferenceWorkspace.Lane lane) =>
        new(rows + ((long)start * width), count * width);

    public ReadOnlySpan<byte> Bytes(int start, int count, float scale, InferenceWorkspace.Lane lane, out float rowScale)
    {
        ReadOnlySpan<float> x = Rows(start, count, lane);
        Span<byte> q = lane.Bytes(x.Length);
        if (!ByteQuantization.Quantize(x, 1f / scale, q))
        {
            ThrowNotFinite(x, start);
        }

        rowScale = scale;
        return q;
    }

    private void ThrowNotFinite(ReadOnlySpan<float> x, int start)
    {
        int at = 0;
        while (float.IsFinite(x[at]))
        {
            at++;
        }

        Guard.ThrowArgument($"input row {start + (at / width)}, column {at % width} is {x[at]}: an int8 network takes finite inputs.", "input");
    }
}

/// <summary>Byte rows <c>[rows x width]</c>, converted block by block as <c>byte / divisor</c>.</summary>
internal readonly unsafe struct ByteRows(byte* rows, int width, float divisor) : IRowSource
{
    public ReadOnlySpan<float> Rows(int start, int count, InferenceWorkspace.Lane lane)
    {
        Span<float> converted = lane.Input(count * width);
        ByteScaling.Divide(Raw(start, count), divisor, converted);
        return converted;
    }

    /// <summary>The bytes as they are: q / divisor is already the input, so the scale is 1 / divisor.</summary>
    public ReadOnlySpan<byte> Bytes(int start, int count, float scale, InferenceWorkspace.Lane lane, out float rowScale)
    {
        rowScale = 1f / divisor;
        return Raw(start, count);
    }

    private ReadOnlySpan<byte> Raw(int start, int count) => new(rows + ((long)start * width), count * width);
}
