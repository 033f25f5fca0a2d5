namespace NnSimd.Model;

/// <summary>Where each layer of a forward pass writes its outputs for the block of rows being run.</summary>
internal interface IActivations
{
    /// <summary>Whether a final softmax is left out, giving raw scores (argmax and the loss do without it).</summary>
    static abstract bool ScoresOnly { get; }

    /// <summary>Room for layer <paramref name="layer"/>'s outputs, <c>[rows x width]</c>, apart from its input.</summary>
    Span<float> Output(int layer, int width);
}

/// <summary>
/// The forward pass shared by inference and training: a block of rows through every layer, each layer's outputs
/// where an <see cref="IActivations"/> puts them. Inference ping-pongs between two buffers; training keeps
/// every layer's outputs for the backward pass.
/// </summary>
internal static class ForwardPass
{
    /// <summary>
    /// Runs input: <c>[rows x layers[0].Inputs]</c> through <paramref name="layers"/>; returns the last layer's
    /// outputs, <c>[rows x layers[^1].Outputs]</c>.
    /// </summary>
    public static ReadOnlySpan<float> Run<TActivations>(DenseLayer[] layers, ReadOnlySpan<float> input, int rows, TActivations activations)
        where TActivations : struct, IActivations
    {
        ReadOnlySpan<float> x = input;
        for (int i = 0; i < layers.Length; i++)
        {
            DenseLayer layer = layers[i];
            Span<float> y = activations.Output(i, layer.Outputs);
            Activation activation = TActivations.ScoresOnly && i == layers.Length - 1 && layer.Activation == Activation.Softmax
                ? Activation.Identity
                : layer.Activation;
            layer.Forward(x, rows, y, activation);
            x = y;
        }

        return x;
    }
}
