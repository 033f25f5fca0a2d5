namespace NnSimd.Model;

/// <summary>
/// The activations of one block of inference rows: layer i writes the lane's buffer i % 2, so it never writes the
/// buffer it reads, and the last layer writes where the sink says (the caller's output, or that free buffer).
/// </summary>
internal readonly struct PingPongActivations<TSink>(InferenceWorkspace.Lane lane, TSink sink, int layers, int start, int rows) : IActivations
    where TSink : struct, IRowSink
{
    public static bool ScoresOnly => TSink.ScoresOnly;

    public Span<float> Output(int layer, int width)
    {
        Span<float> buffer = lane.Buffer(layer % 2, rows * width);
        return layer == layers - 1 ? sink.Rows(start, rows, buffer) : buffer;
    }
}
