using NnSimd.Internal;
using NnSimd.Kernels;

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
    /// Allocates the scratch memory for forward passes from one calling thread. With <paramref name="threads"/>
    /// &gt; 1, batches of at least <see cref="MinRowsPerThread"/> rows per thread are split across that many
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
    public void Predict(ReadOnlySpan<float> input, Span<float> output, InferenceWorkspace workspace, NetworkOutput kind = NetworkOutput.Probabilities)
    {
        int rows = CheckBatch(input.Length, workspace, nameof(input));
        Guard.Shape(output, rows, Outputs, nameof(output));
        if (input.Overlaps(output))
        {
            Guard.ThrowArgument("output must not overlap input.", nameof(output));
        }

        Execute([], 0, input, rows, output, [], workspace, kind);
    }

    /// <summary>
    /// As <see cref="Predict(ReadOnlySpan{float}, Span{float}, InferenceWorkspace, NetworkOutput)"/> for raw
    /// bytes (e.g. pixels), each row converted as <c>byte / divisor</c> in float32 (255 gives MNIST's [0, 1]
    /// scaling, bitwise as <c>x.astype(float32) / 255.0</c>) block by block, so a large uint8 batch never becomes
    /// a float tensor of its own. Allocates nothing after the first call on a workspace.
    /// </summary>
    public void Predict(ReadOnlySpan<byte> input, float divisor, Span<float> output, InferenceWorkspace workspace, NetworkOutput kind = NetworkOutput.Probabilities)
    {
        int rows = CheckBatch(input.Length, workspace, nameof(input));
        CheckDivisor(divisor);
        Guard.Shape(output, rows, Outputs, nameof(output));
        Execute(input, divisor, [], rows, output, [], workspace, kind);
    }

    /// <summary>classes[r] = the argmax of row r's output (first on ties). Skips a final softmax. Allocates nothing.</summary>
    public void Classify(ReadOnlySpan<float> input, Span<int> classes, InferenceWorkspace workspace)
    {
        int rows = CheckBatch(input.Length, workspace, nameof(input));
        CheckClasses(classes, rows);
        Execute([], 0, input, rows, [], classes, workspace, NetworkOutput.Scores);
    }

    /// <summary>classes[r] for raw byte rows converted as <c>byte / divisor</c>; see the byte overload of Predict.</summary>
    public void Classify(ReadOnlySpan<byte> input, float divisor, Span<int> classes, InferenceWorkspace workspace)
    {
        int rows = CheckBatch(input.Length, workspace, nameof(input));
        CheckDivisor(divisor);
        CheckClasses(classes, rows);
        Execute(input, divisor, [], rows, [], classes, workspace, NetworkOutput.Scores);
    }

    /// <summary>Runs the rows on the calling thread, or splits them into contiguous parts across the workspace's threads.</summary>
    private unsafe void Execute(
        ReadOnlySpan<byte> bytes, float divisor, ReadOnlySpan<float> floats, int rows, Span<float> output, Span<int> classes,
        InferenceWorkspace workspace, NetworkOutput kind)
    {
        int parts = Math.Min(workspace.Threads, rows / MinRowsPerThread);
        if (parts <= 1)
        {
            RunRows(bytes, divisor, floats, rows, output, classes, workspace.MainLane, kind);
            return;
        }

        RowSplit split = workspace.Split!;
        fixed (byte* b = bytes)
        fixed (float* f = floats)
        fixed (float* o = output)
        fixed (int* c = classes)
        {
            split.Bytes = bytes.IsEmpty ? null : b;
            split.Floats = floats.IsEmpty ? null : f;
            split.Output = output.IsEmpty ? null : o;
            split.Classes = classes.IsEmpty ? null : c;
            split.Divisor = divisor;
            split.Rows = rows;
            split.Parts = parts;
            split.Kind = kind;
            try
            {
                workspace.Parallel!.Run(split);
            }
            finally
            {
                split.Clear();
            }
        }
    }

    /// <summary>
    /// Pushes rows through every layer, one block at a time, on the calling thread. Input is either bytes
    /// (converted per block) or floats; output is either rows of outputs or class indices.
    /// </summary>
    internal void RunRows(
        ReadOnlySpan<byte> bytes, float divisor, ReadOnlySpan<float> floats, int rows, Span<float> output, Span<int> classes,
        InferenceWorkspace.Lane lane, NetworkOutput kind)
    {
        for (int r0 = 0; r0 < rows; r0 += lane.BlockRows)
        {
            int n = Math.Min(lane.BlockRows, rows - r0);
            ReadOnlySpan<float> x;
            if (bytes.IsEmpty)
            {
                x = floats.Slice(r0 * Inputs, n * Inputs);
            }
            else
            {
                Span<float> converted = lane.Input(n * Inputs);
                ByteScaling.Divide(bytes.Slice(r0 * Inputs, n * Inputs), divisor, converted);
                x = converted;
            }

            if (classes.IsEmpty)
            {
                ForwardBlock(x, n, output.Slice(r0 * Outputs, n * Outputs), lane, kind);
            }
            else
            {
                // Layer i writes buffer i % 2, so the last layer reads buffer (L - 2) % 2 and may write the other one.
                Span<float> scores = lane.Buffer((_layers.Length + 1) % 2, n * Outputs);
                ForwardBlock(x, n, scores, lane, NetworkOutput.Scores);
                Softmax.ArgMaxRows(scores, Outputs, classes.Slice(r0, n));
            }
        }
    }

    /// <summary>Runs one block of rows through every layer, ping-ponging between the lane's two buffers.</summary>
    private void ForwardBlock(ReadOnlySpan<float> input, int rows, Span<float> output, InferenceWorkspace.Lane lane, NetworkOutput kind)
    {
        ReadOnlySpan<float> x = input;
        for (int i = 0; i < _layers.Length; i++)
        {
            DenseLayer layer = _layers[i];
            bool isLast = i == _layers.Length - 1;
            Span<float> y = isLast ? output : lane.Buffer(i % 2, rows * layer.Outputs);
            Activation activation = isLast && kind == NetworkOutput.Scores && layer.Activation == Activation.Softmax
                ? Activation.Identity
                : layer.Activation;
            layer.Forward(x, rows, y, activation);
            x = y;
        }
    }

    private int CheckBatch(int length, InferenceWorkspace workspace, string name)
    {
        ArgumentNullException.ThrowIfNull(workspace);
        if (workspace.Network != this)
        {
            Guard.ThrowArgument("The workspace was made by another network.", nameof(workspace));
        }

        if (length == 0 || length % Inputs != 0)
        {
            Guard.ThrowArgument($"{name} has {length} elements, not a whole positive number of rows of {Inputs}.", name);
        }

        return length / Inputs;
    }

    private static void CheckClasses(Span<int> classes, int rows)
    {
        if (classes.Length != rows)
        {
            Guard.ThrowArgument($"input has {rows} rows but classes has {classes.Length} entries.", nameof(classes));
        }
    }

    private static void CheckDivisor(float divisor)
    {
        if (!float.IsFinite(divisor) || divisor == 0)
        {
            Guard.ThrowArgument($"divisor must be finite and non-zero, not {divisor}.", nameof(divisor));
        }
    }
}
