using Xunit;

namespace NnSimd.Tests.Kernels;

/// <summary>
/// A destination span inside a larger buffer with poison on both sides: a kernel that writes before or past its
/// span changes the poison. The span itself starts as NaN, as pooled memory may hold anything.
/// </summary>
internal static class Poison
{
    public const float Value = -12345f;
    private const int Pad = 16;

    public static float[] Around(int length)
    {
        float[] buffer = Enumerable.Repeat(Value, length + 2 * Pad).ToArray();
        buffer.AsSpan(Pad, length).Fill(float.NaN);
        return buffer;
    }

    public static Span<float> Inside(float[] buffer) => buffer.AsSpan(Pad, buffer.Length - 2 * Pad);

    public static void AssertUntouched(float[] buffer)
    {
        Assert.All(buffer[..Pad], v => Assert.Equal(Value, v));
        Assert.All(buffer[^Pad..], v => Assert.Equal(Value, v));
    }
}
