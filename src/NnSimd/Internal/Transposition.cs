namespace NnSimd.Internal;

/// <summary>Row-major transposes off the hot path (loading, copies out of the trainer).</summary>
internal static class Transposition
{
    /// <summary>b: [cols x rows] = a^T for a: [rows x cols].</summary>
    public static float[] Transpose(ReadOnlySpan<float> a, int rows, int cols)
    {
        var b = new float[a.Length];
        for (int r = 0; r < rows; r++)
        {
            for (int c = 0; c < cols; c++)
            {
                b[c * rows + r] = a[r * cols + c];
            }
        }

        return b;
    }
}
