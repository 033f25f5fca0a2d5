using NnSimd.Kernels;

namespace NnSimd.Model;

/// <summary>What a forward pass writes for each row: the caller's memory, pinned for the call, as a pointer.</summary>
internal interface IRowSink
{
    /// <summary>Whether a final softmax is left out: it changes no argmax, and costs an exp per entry.</summary>
    static abstract bool ScoresOnly { get; }

    /// <summary>Where the last layer writes rows <c>[start, start + count)</c>: the caller's rows, or <paramref name="scratch"/>.</summary>
    Span<float> Rows(int start, int count, Span<float> scratch);

    /// <summary>Finishes rows <c>[start, start + count)</c> from the last layer's <paramref name="outputs"/>.</summary>
    void Complete(int start, int count, ReadOnlySpan<float> outputs);
}

/// <summary>Output rows <c>[rows x width]</c> with the last layer's activation: probabilities when it is softmax.</summary>
internal readonly unsafe struct ProbabilityRows(float* rows, int width) : IRowSink
{
    public static bool ScoresOnly => false;

    public Span<float> Rows(int start, int count, Span<float> scratch) => new(rows + ((long)start * width), count * width);

    public void Complete(int start, int count, ReadOnlySpan<float> outputs)
    {
    }
}

/// <summary>Output rows <c>[rows x width]</c> of raw scores: a final softmax is left out.</summary>
internal readonly unsafe struct ScoreRows(float* rows, int width) : IRowSink
{
    public static bool ScoresOnly => true;

    public Span<float> Rows(int start, int count, Span<float> scratch) => new(rows + ((long)start * width), count * width);

    public void Complete(int start, int count, ReadOnlySpan<float> outputs)
    {
    }
}

/// <summary>One class per row, the argmax of its scores (first on ties), from <c>width</c> scores in scratch.</summary>
internal readonly unsafe struct ClassIndices(int* classes, int width) : IRowSink
{
    public static bool ScoresOnly => true;

    public Span<float> Rows(int start, int count, Span<float> scratch) => scratch;

    public void Complete(int start, int count, ReadOnlySpan<float> outputs) =>
        Softmax.ArgMaxRows(outputs, width, new Span<int>(classes + start, count));
}
