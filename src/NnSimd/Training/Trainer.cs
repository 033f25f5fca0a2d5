using System.Diagnostics;
using System.Numerics.Tensors;
using NnSimd.Internal;
using NnSimd.Kernels;
using NnSimd.Model;

namespace NnSimd.Training;

/// <summary>The result of one epoch.</summary>
public sealed record EpochResult(int Epoch, float Loss, float LearningRate, double Seconds);

/// <summary>
/// Mini-batch stochastic gradient descent for a multi-layer perceptron, on the same SIMD kernels as inference:
/// forward with the fused GEMM, backward with dW = X^T . dZ, db = column sums, dX = dZ . W^T against a packed
/// transpose of W, activation derivatives from the saved outputs. Every buffer is allocated here, once: a
/// training step allocates nothing. Deterministic: the same seed gives the same weights bit for bit.
/// </summary>
public sealed class Trainer : IPartitioned
{
    private readonly int[] _widths;
    private readonly ArraySegment<float>[] _weights;   // W_l^T: [out x in], row-major, what the update writes (see Run for why transposed)
    private readonly float[][] _biases;    // b_l, the very arrays _layers hold
    private readonly ArraySegment<float>[] _velocityW;
    private readonly float[][] _velocityB;
    private readonly ArraySegment<float>[] _gradW;     // dW_l^T: [out x in]
    private readonly float[][] _gradB;
    private readonly DenseLayer[] _layers;                // W_l packed (from _weights transposed) and b_l, for the forward pass
    private readonly PackedMatrix?[] _transposedWeights;  // W_l^T packed (from _weights as stored), for dX = dZ . W^T (none for l = 0: no dX there)
    // The per-step buffers start on 64-byte boundaries (pinned, as the inference workspace's), so the rows of A_0
    // (784 floats: whole cache lines) start on line boundaries and no 512-bit load of them splits a line: the weight
    // gradient measured 2-3% faster on Zen 5 than from an unaligned A_0.
    private readonly ArraySegment<float>[] _outputs;   // A_l: [batch x out_l], A_0 is the input batch
    private readonly ArraySegment<float>[] _deltas;    // dZ_l: [batch x out_l]
    private readonly float[] _targets;     // one-hot rows for MSE
    private readonly byte[] _batchLabels;
    private readonly Random64 _random;
    private readonly ForkJoin? _parallel;
    private Phase _phase;
    private int _layer;
    private int[] _order = [];
    private int _epoch;
    private long _step;

    /// <summary>
    /// A trainer for layers of <paramref name="widths"/> (e.g. 784, 50, 100, 10) with <paramref name="hidden"/>
    /// activations in the hidden layers and the output the loss implies (softmax for cross-entropy, identity
    /// for mean squared error).
    /// </summary>
    public Trainer(IReadOnlyList<int> widths, Activation hidden, TrainerOptions options)
    {
        ArgumentNullException.ThrowIfNull(widths);
        ArgumentNullException.ThrowIfNull(options);
        if (widths.Count < 2 || widths.Any(w => w <= 0))
        {
            throw new ArgumentException($"Layer widths {string.Join(',', widths)}: need at least an input and an output width, all positive.", nameof(widths));
        }

        if (hidden is not (Activation.Sigmoid or Activation.Relu or Activation.Tanh or Activation.Identity))
        {
            throw new ArgumentException($"Hidden activation {hidden} cannot be trained (step has no gradient).", nameof(hidden));
        }

        Guard.Positive(options.BatchSize, nameof(options.BatchSize));
        Guard.Positive(options.Threads, nameof(options.Threads));
        _parallel = options.Threads > 1 ? new ForkJoin(options.Threads) : null;
        Options = options;
        _widths = [.. widths];
        int layers = _widths.Length - 1;
        _random = new Random64(options.Seed);
        _weights = new ArraySegment<float>[layers];
        _biases = new float[layers][];
        for (int l = 0; l < layers; l++)
        {
            int inputs = _widths[l], outputs = _widths[l + 1];
            double std = options.Init switch
            {
                Init.Gaussian => options.InitStd,
                Init.Xavier => Math.Sqrt(1.0 / inputs),
                _ => Math.Sqrt(2.0 / inputs),
            };
            // Drawn in [inputs x outputs] order (as W is written), stored transposed.
            _weights[l] = AlignedBuffer.Segment(inputs * outputs);
            for (int p = 0; p < inputs; p++)
            {
                for (int j = 0; j < outputs; j++)
                {
                    _weights[l][j * inputs + p] = (float)(std * _random.NextGaussian());
                }
            }

            _biases[l] = new float[outputs];
        }

        _velocityW = _weights.Select(w => AlignedBuffer.Segment(w.Count)).ToArray();
        _velocityB = _biases.Select(b => new float[b.Length]).ToArray();
        _gradW = _weights.Select(w => AlignedBuffer.Segment(w.Count)).ToArray();
        _gradB = _biases.Select(b => new float[b.Length]).ToArray();
        Activation output = options.Loss == Loss.CrossEntropy ? Activation.Softmax : Activation.Identity;
        _layers = Enumerable.Range(0, layers)
            .Select(l => new DenseLayer(
                PackedMatrix.PackTransposed(_weights[l], _widths[l + 1], _widths[l]), _biases[l], l < layers - 1 ? hidden : output))
            .ToArray();
        _transposedWeights = Enumerable.Range(0, layers).Select(l => l == 0 ? null : PackedMatrix.Pack(_weights[l], _widths[l + 1], _widths[l])).ToArray();
        int batch = options.BatchSize;
        _outputs = _widths.Select(w => AlignedBuffer.Segment(batch * w)).ToArray();
        _deltas = _widths.Select(w => AlignedBuffer.Segment(batch * w)).ToArray();
        _targets = new float[batch * _widths[^1]];
        _batchLabels = new byte[batch];
    }

    /// <summary>The settings.</summary>
    public TrainerOptions Options { get; }

    /// <summary>Width of an input row.</summary>
    public int Inputs => _widths[0];

    /// <summary>Number of classes (width of the output).</summary>
    public int Classes => _widths[^1];

    /// <summary>Epochs trained so far.</summary>
    public int Epoch => _epoch;

    /// <summary>A copy of the current weights of layer <paramref name="layer"/>, <c>[inputs x outputs]</c> row-major.</summary>
    public float[] GetWeights(int layer) => Transposition.Transpose(_weights[layer], _widths[layer + 1], _widths[layer]);

    /// <summary>The current bias of layer <paramref name="layer"/> (a view: do not modify).</summary>
    public ReadOnlySpan<float> Biases(int layer) => _biases[layer];

    /// <summary>The weight gradient of layer <paramref name="layer"/> from the last step, <c>[inputs x outputs]</c> (for gradient checks).</summary>
    internal float[] WeightGradient(int layer) => Transposition.Transpose(_gradW[layer], _widths[layer + 1], _widths[layer]);

    /// <summary>The bias gradient of layer <paramref name="layer"/> from the last step.</summary>
    internal ReadOnlySpan<float> BiasGradient(int layer) => _gradB[layer];

    /// <summary>Runs forward and backward on a batch without updating anything; returns the loss.</summary>
    internal float Gradients(ReadOnlySpan<float> batch, ReadOnlySpan<byte> labels)
    {
        batch.CopyTo(_outputs[0]);
        labels.CopyTo(_batchLabels);
        return ForwardAndBackward();
    }

    /// <summary>The trained network, for inference and saving (a copy: training on does not change it).</summary>
    public Network ToNetwork() => new(Enumerable.Range(0, _weights.Length)
        .Select(l => new DenseLayer(GetWeights(l), _biases[l], _widths[l], _widths[l + 1], _layers[l].Activation)).ToArray());

    /// <summary>
    /// One epoch over byte images (converted as <c>x / divisor</c> batch by batch) and their labels, in a fresh
    /// shuffled order; a last partial batch is dropped (every step sees a full batch).
    /// </summary>
    public EpochResult TrainEpoch(ReadOnlySpan<byte> images, float divisor, ReadOnlySpan<byte> labels, Action<int, int, float>? progress = null)
    {
        int count = CheckData(images.Length, labels);
        var clock = Stopwatch.StartNew();
        float rate = Options.Schedule.Rate(_epoch);
        Shuffle(count);
        int batch = Options.BatchSize;
        int steps = count / batch;
        double total = 0;
        for (int s = 0; s < steps; s++)
        {
            // The batch's rows are scattered over the whole training set (47 MB for Fashion-MNIST), each a trip to
            // memory the hardware prefetcher cannot foresee. Asked for all at once, the trips overlap; converting
            // alone waits on each row's lines in turn. Asked for a whole step ahead instead, they were mostly gone
            // again by the time they were read (the step's own working set is about the size of L2): converting an
            // epoch's batches took 10-15 ms this way against 13-19 ms that way, alternating epochs in one process.
            for (int r = s * batch; r < (s + 1) * batch; r++)
            {
                Prefetch.Lines(images.Slice(_order[r] * Inputs, Inputs));
            }

            Span<float> x = _outputs[0];
            for (int r = 0; r < batch; r++)
            {
                int index = _order[s * batch + r];
                ByteScaling.Divide(images.Slice(index * Inputs, Inputs), divisor, x.Slice(r * Inputs, Inputs));
                _batchLabels[r] = labels[index];
            }

            total += Step(rate);
            progress?.Invoke(s + 1, steps, (float)(total / (s + 1)));
        }

        _epoch++;
        return new EpochResult(_epoch, (float)(total / Math.Max(1, steps)), rate, clock.Elapsed.TotalSeconds);
    }

    /// <summary>
    /// One step on one batch of float rows <c>[BatchSize x Inputs]</c>: forward, loss, backward, update.
    /// Returns the batch's loss. Allocates nothing.
    /// </summary>
    public float Step(ReadOnlySpan<float> batch, ReadOnlySpan<byte> labels, float learningRate)
    {
        Guard.Shape(batch, Options.BatchSize, Inputs, nameof(batch));
        if (labels.Length != Options.BatchSize)
        {
            Guard.ThrowArgument($"{labels.Length} labels for a batch of {Options.BatchSize}.", nameof(labels));
        }

        batch.CopyTo(_outputs[0]);
        labels.CopyTo(_batchLabels);
        return Step(learningRate);
    }

    /// <summary>
    /// The mean |dL/dW| of each layer on one batch at the current weights (nothing is updated): the book's point
    /// that sigmoid hidden layers make gradients vanish towards the input, where ReLU does not.
    /// </summary>
    public double[] MeanAbsWeightGradients(ReadOnlySpan<float> batch, ReadOnlySpan<byte> labels)
    {
        Guard.Shape(batch, Options.BatchSize, Inputs, nameof(batch));
        batch.CopyTo(_outputs[0]);
        labels.CopyTo(_batchLabels);
        ForwardAndBackward();
        return _gradW.Select(g => TensorPrimitives.SumOfMagnitudes<float>(g) / (double)g.Count).ToArray();
    }

    private float Step(float rate)
    {
        float loss = ForwardAndBackward();
        _step++;
        if (!float.IsFinite(loss))
        {
            throw new TrainingDivergedException(
                $"The loss became {loss} at epoch {_epoch + 1}, step {_step} with learning rate {rate}: lower the learning rate.");
        }

        float momentum = Options.Momentum;
        for (int l = 0; l < _weights.Length; l++)
        {
            MomentumUpdate.Apply(_weights[l], _gradW[l], _velocityW[l], rate, momentum);
            MomentumUpdate.Apply(_biases[l], _gradB[l], _velocityB[l], rate, momentum);
            _layers[l].Weights.Repack(_weights[l], transposed: true);
            if (l > 0)
            {
                _transposedWeights[l]!.Repack(_weights[l], transposed: false);
            }
        }

        return loss;
    }

    private float ForwardAndBackward()
    {
        int batch = Options.BatchSize;
        int layers = _weights.Length;
        Split(Phase.Forward, layer: 0);

        float loss;
        int classes = Classes;
        if (Options.Loss == Loss.CrossEntropy)
        {
            loss = Losses.SoftmaxCrossEntropy(_outputs[layers], _batchLabels, classes, _deltas[layers]);
        }
        else
        {
            Array.Clear(_targets);
            for (int r = 0; r < batch; r++)
            {
                _targets[r * classes + _batchLabels[r]] = 1f;
            }

            loss = Losses.MeanSquaredError(_outputs[layers], _targets, classes, _deltas[layers]);
        }

        for (int l = layers - 1; l >= 0; l--)
        {
            Split(Phase.WeightGradient, l);
            GemmBackward.ColumnSums(_deltas[l + 1], batch, _widths[l + 1], _gradB[l]);
            if (l > 0)
            {
                Split(Phase.InputGradient, l);
            }
        }

        return loss;
    }

    private enum Phase
    {
        Forward,
        WeightGradient,
        InputGradient,
    }

    /// <summary>
    /// Runs one phase of a step for one layer (the forward phase: for all of them), on this thread or split
    /// across the workers.
    /// </summary>
    private void Split(Phase phase, int layer)
    {
        _phase = phase;
        _layer = layer;
        if (_parallel is null)
        {
            Run(0, 1);
        }
        else
        {
            _parallel.Run(this);
        }
    }

    /// <summary>
    /// Part <paramref name="part"/> of the current phase. Forward and input-gradient products split the batch
    /// rows; the weight gradient splits the rows of dW^T. Each element is computed whole by one part, so the
    /// result does not depend on the number of parts.
    /// </summary>
    void IPartitioned.Run(int part, int parts) => Run(part, parts);

    private void Run(int part, int parts)
    {
        int l = _layer;
        int batch = Options.BatchSize;
        int inputs = _widths[l], outputs = _widths[l + 1];
        switch (_phase)
        {
            case Phase.Forward:
            {
                // A_l = f(A_{l-1} . W_l + b_l) for every layer: rows are independent, so each part takes its rows
                // through all of them. The output layer stays raw (logits): its activation is in the loss.
                (int r0, int n) = RowPartition.Part(batch, part, parts);
                if (n > 0)
                {
                    ForwardPass.Run(_layers, _outputs[0].AsSpan(r0 * Inputs, n * Inputs), n, new SavedActivations(_outputs, r0, n));
                }

                break;
            }

            case Phase.WeightGradient:
            {
                // The weights are kept transposed, [out x in], because their gradient is computed as
                // dW^T = dZ^T . A: vectors then run along the input width (784 for the first layer, whole
                // vectors), not along the output width (50: three vectors and a sliver), which measured 4x faster.
                (int p0, int n) = RowPartition.Part(outputs, part, parts);
                if (n > 0)
                {
                    GemmBackward.TransposeMultiply(_deltas[l + 1], batch, outputs, _outputs[l], inputs, _gradW[l], p0, p0 + n);
                }

                break;
            }

            default:
            {
                // dA_{l-1} = dZ_l . W_l^T, then dZ_{l-1} = dA_{l-1} * f'(A_{l-1}).
                (int r0, int n) = RowPartition.Part(batch, part, parts);
                if (n > 0)
                {
                    Span<float> delta = _deltas[l].AsSpan(r0 * inputs, n * inputs);
                    Gemm.Multiply(_deltas[l + 1].AsSpan(r0 * outputs, n * outputs), n, outputs, _transposedWeights[l]!, [], Activation.Identity, delta);
                    ActivationGradients.Backward(_layers[l - 1].Activation, _outputs[l].AsSpan(r0 * inputs, n * inputs), delta, delta);
                }

                break;
            }
        }
    }

    private int CheckData(int pixels, ReadOnlySpan<byte> labels)
    {
        if (pixels % Inputs != 0)
        {
            throw new ArgumentException($"{pixels} input values are not a whole number of rows of {Inputs}: the first layer's width does not match the data.");
        }

        int count = pixels / Inputs;
        if (count != labels.Length)
        {
            throw new ArgumentException($"{count} images but {labels.Length} labels: the counts must agree.");
        }

        if (count < Options.BatchSize)
        {
            throw new ArgumentException($"{count} images are fewer than one batch of {Options.BatchSize}.");
        }

        int max = 0;
        foreach (byte label in labels)
        {
            max = Math.Max(max, label);
        }

        if (max >= Classes)
        {
            throw new ArgumentException($"Label {max} is not a class of a {Classes}-wide output layer.");
        }

        return count;
    }

    private void Shuffle(int count)
    {
        if (_order.Length != count)
        {
            _order = new int[count];
        }

        for (int i = 0; i < count; i++)
        {
            _order[i] = i;
        }

        _random.Shuffle(_order);
    }
}

/// <summary>Training produced a non-finite loss (usually: the learning rate is too large).</summary>
public sealed class TrainingDivergedException(string message) : InvalidOperationException(message);
