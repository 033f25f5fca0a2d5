using NnSimd.Internal;

namespace NnSimd.Model;

/// <summary>
/// A multi-layer perceptron: dense layers in sequence. Immutable once built, so one instance serves any number
/// of threads, each with its own <see cref="InferenceWorkspace"/>. Inputs are row-major <c>[rows x Inputs]</c>.
/// A row's output is bitwise the same whether it runs alone or at any position of any batch.
/// </summary>
public sealed class Network
{
    /// <summary>Rows per block of a forward pass: a multiple of the micro-kernel's 8 rows, small enough for L2.</summary>
    public const int DefaultBlockRows = 96;

    private readonly DenseLayer[] _layers;

    /// <summary>Chains <paramref name="layers"/>; each layer's inputs must equal the previous layer's outputs.</summary>
    public Network(params DenseLayer[] layers)
    {
        ArgumentNullException.ThrowIfNull(layers);
        if (layers.Length == 0)
        {
            throw new ArgumentException("A network needs at least one layer.", nameof(layers));
        }

        for (int i = 0; i < layers.Length; i++)
        {
            ArgumentNullException.ThrowIfNull(layers[i], $"{nameof(layers)}[{i}]");
            if (i > 0 && layers[i].Inputs != layers[i - 1].Outputs)
            {
                throw new ArgumentException(
                    $"Layer {i} takes {layers[i].Inputs} inputs but layer {i - 1} gives {layers[i - 1].Outputs} outputs.", nameof(layers));
            }

            if (layers[i].Activation == Activation.Softmax && i != layers.Length - 1)
            {
                throw new ArgumentException($"Layer {i}: softmax is only allowed on the last layer.", nameof(layers));
            }
        }

        _layers = (DenseLayer[])layers.Clone();
    }

    /// <summary>The layers, first to last.</summary>
    public IReadOnlyList<DenseLayer> Layers => _layers;

    /// <summary>Width of an input row.</summary>
    public int Inputs => _layers[0].Inputs;

    /// <summary>Width of an output row.</summary>
    public int Outputs => _layers[^1].Outputs;

    /// <summary>Multiply-adds per input row: the FLOP count of a row is twice this.</summary>
    public long MultiplyAddsPerRow
    {
        get
        {
            long total = 0;
            foreach (DenseLayer layer in _layers)
            {
                total += (long)layer.Inputs * layer.Outputs;
            }

            return total;
        }
    }

    /// <summary>The architecture as text, e.g. <c>784-50-100-10 sigmoid,sigmoid,softmax</c>.</summary>
    public override string ToString() =>
        $"{Inputs}-{string.Join('-', _layers.Select(l => l.Outputs))} " +
        string.Join(',', _layers.Select(l => l.Activation.ToString().ToLowerInvariant()));

    /// <summary>
    /// An int8 version of this network, for inference (<see cref="QuantizedNetwork"/>). Weights are quantized
    /// symmetrically per output column; a layer's input becomes unsigned bytes with one static scale. A layer runs in
    /// int8 where its input cannot be negative (the first when every <paramref name="calibration"/> input is &gt;= 0,
    /// a later one after sigmoid, step or ReLU) and it has at least <paramref name="smallestInt8Layer"/> weights;
    /// the others stay float32. The scales come from the activations' ranges: 1/255 after sigmoid and step (bounded
    /// by 1), max / 255 after ReLU and for the input, the max taken over <paramref name="calibration"/>:
    /// <c>[rows x Inputs]</c> typical input rows (values above it saturate).
    /// </summary>
    /// <param name="calibration">Typical input rows, <c>[rows x Inputs]</c>.</param>
    /// <param name="smallestInt8Layer">
    /// Layers with fewer weights stay float32, for CPUs where quantizing a small layer's input costs more than int8
    /// saves. The default, <see cref="QuantizedNetwork.DefaultSmallestInt8Layer"/> (0), makes every layer that can be
    /// int8: the fastest split measured for the book's network, at batch 1 by a quarter.
    /// </param>
    public QuantizedNetwork Quantize(ReadOnlySpan<float> calibration, int smallestInt8Layer = QuantizedNetwork.DefaultSmallestInt8Layer) =>
        NetworkQuantizer.Quantize(this, calibration, smallestInt8Layer);

    /// <summary>
    /// Allocates the scratch memory for forward passes from one calling thread. With <paramref name="threads"/>
    /// &gt; 1, batches of at least 48 rows per thread are split across that many
    /// threads: the caller's and threads - 1 of the workspace's own, which spin for microseconds after a call and
    /// then park, and end when the workspace is collected (parallelism is opt-in, per workspace).
    /// </summary>
    public InferenceWorkspace CreateWorkspace(int threads = 1, int blockRows = DefaultBlockRows)
    {
        Guard.Positive(threads, nameof(threads));
        Guard.Positive(blockRows, nameof(blockRows));
        return new InferenceWorkspace(this, blockRows, threads);
    }

    /// <summary>
    /// A thread is given at least this many rows: below it, the hand-off costs more than it saves. At 48, a batch
    /// of 100 on 2 threads runs in about 60% of the 1-thread time when calls come back to back (the worker thread
    /// is still awake); a lone call that must wake a parked worker gains less.
    /// </summary>
    internal const int MinRowsPerThread = 48;

    /// <summary>
    /// output: [rows x Outputs] = the network applied to input: [rows x Inputs], rows = input.Length / Inputs.
    /// Allocates nothing.
    /// </summary>
    public void Predict(ReadOnlySpan<float> input, Span<float> output, InferenceWorkspace workspace, NetworkOutput kind = NetworkOutput.Probabilities) =>
        LanesOf(workspace).Predict(input, output, kind);

    /// <summary>
    /// As <see cref="Predict(ReadOnlySpan{float}, Span{float}, InferenceWorkspace, NetworkOutput)"/> for raw
    /// bytes (e.g. pixels), each row converted as <c>byte / divisor</c> in float32 (255 gives MNIST's [0, 1]
    /// scaling, bitwise as <c>x.astype(float32) / 255.0</c>) block by block, so a large uint8 batch never becomes
    /// a float tensor of its own. Allocates nothing after the first call on a workspace.
    /// </summary>
    public void Predict(ReadOnlySpan<byte> input, float divisor, Span<float> output, InferenceWorkspace workspace, NetworkOutput kind = NetworkOutput.Probabilities) =>
        LanesOf(workspace).Predict(input, divisor, output, kind);

    /// <summary>classes[r] = the argmax of row r's output (first on ties). Skips a final softmax. Allocates nothing.</summary>
    public void Classify(ReadOnlySpan<float> input, Span<int> classes, InferenceWorkspace workspace) =>
        LanesOf(workspace).Classify(input, classes);

    /// <summary>classes[r] for raw byte rows converted as <c>byte / divisor</c>; see the byte overload of Predict.</summary>
    public void Classify(ReadOnlySpan<byte> input, float divisor, Span<int> classes, InferenceWorkspace workspace) =>
        LanesOf(workspace).Classify(input, divisor, classes);

    /// <summary>
    /// Pushes rows <c>[start, start + count)</c> through every layer, one block at a time, on the calling thread.
    /// </summary>
    internal void RunRows<TSource, TSink>(TSource source, TSink sink, int start, int count, InferenceWorkspace.Lane lane)
        where TSource : struct, IRowSource
        where TSink : struct, IRowSink
    {
        int end = start + count;
        for (int r0 = start; r0 < end; r0 += lane.BlockRows)
        {
            int n = Math.Min(lane.BlockRows, end - r0);
            ReadOnlySpan<float> outputs = ForwardPass.Run(
                _layers, source.Rows(r0, n, lane), n, new PingPongActivations<TSink>(lane, sink, _layers.Length, r0, n));
            sink.Complete(r0, n, outputs);
        }
    }

    private WorkspaceLanes<FloatRunner> LanesOf(InferenceWorkspace workspace)
    {
        ArgumentNullException.ThrowIfNull(workspace);
        if (workspace.Network != this)
        {
            Guard.ThrowArgument("The workspace was made by another network.", nameof(workspace));
        }

        return workspace.Lanes;
    }
}
