using NnSimd.Internal;
using NnSimd.Kernels;

namespace NnSimd.Model;

/// <summary>
/// A network whose layers run in int8 where their input cannot be negative (and, if a threshold was given, they are
/// large enough to gain; see <see cref="Network.Quantize"/>), the others in float32:
/// unsigned-byte inputs times int8 weights, summed exactly in int32, then scaled, biased and activated in float32
/// while still in registers. Raw byte rows (pixels) feed an int8 first layer as they are. Immutable once built,
/// so one instance serves any number of threads, each with its own <see cref="QuantizedWorkspace"/>. A row's
/// output is bitwise the same whether it runs alone or at any position of any batch.
/// </summary>
public sealed class QuantizedNetwork
{
    /// <summary>
    /// The fewest weights for which <see cref="Network.Quantize"/> makes a layer int8 by default: none, so every layer
    /// whose input cannot be negative is int8. Measured on the book's network on Zen 5 (an AMD EPYC), one thread,
    /// alternating in one process, all three layers in int8 against only the 784 x 50 one: batch 1, 0.72-0.74 us per
    /// image against 0.96-0.97; batch 100, 0.354-0.360 against 0.366-0.378; batch 10,000, 0.361-0.367 against
    /// 0.360-0.368. The small layers won once the ends of their rows were loaded masked (Int8Tail) and a softmax over
    /// 10 columns was finished in the tile (Int8Finish.Wide). Before those, on an Emerald Rapids Xeon, all three in
    /// int8 were 10-12% slower; pass a threshold (8,192 there) where small layers lose.
    /// </summary>
    public const int DefaultSmallestInt8Layer = 0;

    private readonly QuantizedLayer[] _layers;

    internal QuantizedNetwork(QuantizedLayer[] layers)
    {
        for (int i = 1; i < layers.Length; i++)
        {
            if (layers[i].Inputs != layers[i - 1].Outputs)
            {
                Guard.ThrowArgument($"Layer {i} takes {layers[i].Inputs} inputs but layer {i - 1} gives {layers[i - 1].Outputs} outputs.", nameof(layers));
            }

            if (layers[i - 1].Activation == Activation.Softmax)
            {
                Guard.ThrowArgument($"Layer {i - 1}: softmax is only allowed on the last layer.", nameof(layers));
            }
        }

        _layers = layers;
    }

    /// <summary>The layers, first to last.</summary>
    public IReadOnlyList<QuantizedLayer> Layers => _layers;

    /// <summary>Width of an input row.</summary>
    public int Inputs => _layers[0].Inputs;

    /// <summary>Width of an output row.</summary>
    public int Outputs => _layers[^1].Outputs;

    /// <summary>The architecture as text, e.g. <c>784-50-100-10 sigmoid,sigmoid,softmax int8,int8,int8</c>.</summary>
    public override string ToString() =>
        $"{Inputs}-{string.Join('-', _layers.Select(l => l.Outputs))} " +
        $"{string.Join(',', _layers.Select(l => l.Activation.ToString().ToLowerInvariant()))} " +
        string.Join(',', _layers.Select(l => l.IsInt8 ? "int8" : "float32"));

    /// <summary>
    /// Allocates the scratch memory for forward passes from one calling thread. With <paramref name="threads"/>
    /// &gt; 1, large batches are split across that many threads, as <see cref="Network.CreateWorkspace"/> does.
    /// </summary>
    public QuantizedWorkspace CreateWorkspace(int threads = 1, int blockRows = Network.DefaultBlockRows)
    {
        Guard.Positive(threads, nameof(threads));
        Guard.Positive(blockRows, nameof(blockRows));
        return new QuantizedWorkspace(this, blockRows, threads);
    }

    /// <summary>
    /// output: [rows x Outputs] = the network applied to input: [rows x Inputs]. An int8 first layer quantizes the
    /// rows with its <see cref="QuantizedLayer.InputScale"/>; a NaN or infinite input is refused. Allocates nothing
    /// after the first call on a workspace.
    /// </summary>
    public void Predict(ReadOnlySpan<float> input, Span<float> output, QuantizedWorkspace workspace, NetworkOutput kind = NetworkOutput.Probabilities) =>
        LanesOf(workspace).Predict(input, output, kind);

    /// <summary>
    /// As <see cref="Predict(ReadOnlySpan{float}, Span{float}, QuantizedWorkspace, NetworkOutput)"/> for raw bytes
    /// (e.g. pixels) standing for <c>byte / divisor</c>: an int8 first layer takes them as they are, with scale
    /// 1 / divisor, so they are never quantized again. Allocates nothing after the first call on a workspace.
    /// </summary>
    public void Predict(ReadOnlySpan<byte> input, float divisor, Span<float> output, QuantizedWorkspace workspace, NetworkOutput kind = NetworkOutput.Probabilities) =>
        LanesOf(workspace).Predict(input, divisor, output, kind);

    /// <summary>classes[r] = the argmax of row r's output (first on ties). Skips a final softmax.</summary>
    public void Classify(ReadOnlySpan<float> input, Span<int> classes, QuantizedWorkspace workspace) =>
        LanesOf(workspace).Classify(input, classes);

    /// <summary>classes[r] for raw byte rows standing for <c>byte / divisor</c>; see the byte overload of Predict.</summary>
    public void Classify(ReadOnlySpan<byte> input, float divisor, Span<int> classes, QuantizedWorkspace workspace) =>
        LanesOf(workspace).Classify(input, divisor, classes);

    /// <summary>
    /// Pushes rows <c>[start, start + count)</c> through every layer, one block at a time, on the calling thread. An
    /// int8 layer quantizes its input into the lane's bytes (the first layer's bytes come from the source), then runs
    /// the int8 GEMM with the epilogue fused; a float32 layer runs the float GEMM.
    /// </summary>
    internal void RunRows<TSource, TSink>(TSource source, TSink sink, int start, int count, InferenceWorkspace.Lane lane)
        where TSource : struct, IRowSource
        where TSink : struct, IRowSink
    {
        int end = start + count;
        for (int r0 = start; r0 < end; r0 += lane.BlockRows)
        {
            int n = Math.Min(lane.BlockRows, end - r0);
            ReadOnlySpan<float> x = default;
            for (int i = 0; i < _layers.Length; i++)
            {
                QuantizedLayer layer = _layers[i];
                bool last = i == _layers.Length - 1;
                Span<float> y = lane.Buffer(i % 2, n * layer.Outputs);
                if (last)
                {
                    y = sink.Rows(r0, n, y);
                }

                Activation activation = TSink.ScoresOnly && last && layer.Activation == Activation.Softmax ? Activation.Identity : layer.Activation;
                if (layer.Int8 is { } weights)
                {
                    float rowScale = layer.InputScale;
                    ReadOnlySpan<byte> q;
                    if (i == 0)
                    {
                        q = source.Bytes(r0, n, layer.InputScale, lane, out rowScale);
                    }
                    else
                    {
                        Span<byte> quantized = lane.Bytes(x.Length);
                        if (!ByteQuantization.Quantize(x, 1f / layer.InputScale, quantized))
                        {
                            ThrowNotFinite(i - 1, r0);
                        }

                        q = quantized;
                    }

                    Int8Gemm.Compute(q, n, layer.Inputs, new ReadOnlySpan<float>(in rowScale), weights, layer.Bias, activation, y);
                }
                else
                {
                    layer.Float!.Forward(i == 0 ? source.Rows(r0, n, lane) : x, n, y, activation);
                }

                x = y;
            }

            sink.Complete(r0, n, x);
        }
    }

    /// <summary>A float32 layer can overflow where an int8 one cannot; its infinities have no byte to become.</summary>
    private static void ThrowNotFinite(int layer, int firstRow) =>
        Guard.ThrowArgument(
            $"layer {layer} gave a NaN or infinite activation in the block of rows from {firstRow}: the input is out of the range this int8 network handles.", "input");

    private WorkspaceLanes<QuantizedRunner> LanesOf(QuantizedWorkspace workspace)
    {
        ArgumentNullException.ThrowIfNull(workspace);
        if (workspace.Network != this)
        {
            Guard.ThrowArgument("The workspace was made by another network.", nameof(workspace));
        }

        return workspace.Lanes;
    }
}
