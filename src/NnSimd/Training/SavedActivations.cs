using NnSimd.Model;

namespace NnSimd.Training;

/// <summary>
/// Rows <c>[start, start + rows)</c> of every layer's outputs A_1..A_L (outputs[0] is the input A_0), kept whole
/// for the backward pass. The last layer's are raw scores: the loss applies the softmax.
/// </summary>
internal readonly struct SavedActivations(ArraySegment<float>[] outputs, int start, int rows) : IActivations
{
    public static bool ScoresOnly => true;

    public Span<float> Output(int layer, int width) => outputs[layer + 1].AsSpan(start * width, rows * width);
}
