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

    /// <summary>Allocates the scratch memory for forward passes on one thread.</summary>
    public InferenceWorkspace CreateWorkspace(int blockRows = DefaultBlockRows)
    {
        Guard.Positive(blockRows, nameof(blockRows));
        return new InferenceWorkspace(this, blockRows);
    }

    /// <summary>
    /// output: [rows x Outputs] = the network applied to input: [rows x Inputs], rows = input.Length / Inputs.
    /// Allocates nothing.
    /// </summary>
    public void Predict(ReadOnlySpan<float> input, Span<float> output, InferenceWorkspace workspace, NetworkOutput kind = NetworkOutput.Probabilities)
    {
        int rows = CheckBatch(input, workspace);
        Guard.Shape(output, rows, Outputs, nameof(output));
        if (input.Overlaps(output))
        {
            Guard.ThrowArgument("output must not overlap input.", nameof(output));
        }

        for (int r0 = 0; r0 < rows; r0 += workspace.BlockRows)
        {
            int n = Math.Min(workspace.BlockRows, rows - r0);
            ForwardBlock(input.Slice(r0 * Inputs, n * Inputs), n, output.Slice(r0 * Outputs, n * Outputs), workspace, kind);
        }
    }

    /// <summary>classes[r] = the argmax of row r's output (first on ties). Skips a final softmax. Allocates nothing.</summary>
    public void Classify(ReadOnlySpan<float> input, Span<int> classes, InferenceWorkspace workspace)
    {
        int rows = CheckBatch(input, workspace);
        if (classes.Length != rows)
        {
            Guard.ThrowArgument($"input has {rows} rows but classes has {classes.Length} entries.", nameof(classes));
        }

        for (int r0 = 0; r0 < rows; r0 += workspace.BlockRows)
        {
            int n = Math.Min(workspace.BlockRows, rows - r0);
            // Layer i writes buffer i % 2, so the last layer reads buffer (L - 2) % 2 and may write the other one.
            Span<float> scores = workspace.Buffer((_layers.Length + 1) % 2, n * Outputs);
            ForwardBlock(input.Slice(r0 * Inputs, n * Inputs), n, scores, workspace, NetworkOutput.Scores);
            Softmax.ArgMaxRows(scores, Outputs, classes.Slice(r0, n));
        }
    }

    /// <summary>Runs one block of rows through every layer, ping-ponging between the workspace's two buffers.</summary>
    private void ForwardBlock(ReadOnlySpan<float> input, int rows, Span<float> output, InferenceWorkspace workspace, NetworkOutput kind)
    {
        ReadOnlySpan<float> x = input;
        for (int i = 0; i < _layers.Length; i++)
        {
            DenseLayer layer = _layers[i];
            bool isLast = i == _layers.Length - 1;
            Span<float> y = isLast ? output : workspace.Buffer(i % 2, rows * layer.Outputs);
            Activation activation = isLast && kind == NetworkOutput.Scores && layer.Activation == Activation.Softmax
                ? Activation.Identity
                : layer.Activation;
            layer.Forward(x, rows, y, activation);
            x = y;
        }
    }

    private int CheckBatch(ReadOnlySpan<float> input, InferenceWorkspace workspace)
    {
        ArgumentNullException.ThrowIfNull(workspace);
        if (workspace.Network != this)
        {
            Guard.ThrowArgument("The workspace was made by another network.", nameof(workspace));
        }

        if (input.Length == 0 || input.Length % Inputs != 0)
        {
            Guard.ThrowArgument($"input has {input.Length} elements, not a whole positive number of rows of {Inputs}.", nameof(input));
        }

        return input.Length / Inputs;
    }
}
