using NnSimd.Internal;

namespace NnSimd.Model;

/// <summary>
/// The scratch memory of forward passes, allocated once and reused: a steady-state pass allocates nothing.
/// A network runs any batch through it in blocks of <see cref="BlockRows"/> rows (each block goes through
/// every layer while its activations are still in cache), so its size does not grow with the batch.
/// With <see cref="Threads"/> &gt; 1 a large batch is split into that many contiguous parts, one per thread
/// (the caller's and the workspace's own, started here and ended when it is collected); results are bitwise
/// the same as with one thread. Between calls its threads park after a spin of microseconds. Not thread-safe:
/// one workspace per calling thread; the network itself is shared.
/// </summary>
public sealed class InferenceWorkspace
{
    internal InferenceWorkspace(Network network, int blockRows, int threads)
    {
        Network = network;
        BlockRows = blockRows;
        Lanes = new WorkspaceLanes<FloatRunner>(new FloatRunner(network), network.Inputs, network.Outputs, () => new Lane(network, blockRows), threads);
    }

    /// <summary>The network this workspace was made for.</summary>
    public Network Network { get; }

    /// <summary>Rows per block.</summary>
    public int BlockRows { get; }

    /// <summary>Threads a large batch is split across (1 = the calling thread only).</summary>
    public int Threads => Lanes.Threads;

    internal WorkspaceLanes<FloatRunner> Lanes { get; }

    /// <summary>
    /// The buffers one thread needs: two ping-pong activation buffers, converted input, and (for a
    /// <see cref="QuantizedNetwork"/>) one buffer of quantized bytes.
    /// </summary>
    internal sealed class Lane
    {
        private readonly float[] _storage;
        private readonly int _offset;
        private readonly int _half;
        private readonly int _inputLength;
        private readonly int _bytesLength;
        private float[]? _input;
        private byte[]? _bytes;

        public Lane(Network network, int blockRows)
            : this(network.Inputs, network.Layers.Select(l => l.Outputs), blockRows)
        {
        }

        public Lane(QuantizedNetwork network, int blockRows)
            : this(network.Inputs, network.Layers.Select(l => l.Outputs), blockRows)
        {
        }

        /// <summary>Buffers for blocks of <paramref name="blockRows"/> rows of <paramref name="inputs"/> inputs through layers of these widths.</summary>
        public Lane(int inputs, IEnumerable<int> outputs, int blockRows)
        {
            BlockRows = blockRows;
            int widest = Math.Max(1, outputs.Max());

            // Round each half to 16 floats so the second buffer is 64-byte aligned too.
            _half = checked((blockRows * widest + 15) / 16 * 16);
            (_storage, _offset) = AlignedBuffer.Allocate(checked(2 * _half));
            _inputLength = checked(blockRows * inputs);
            _bytesLength = checked(blockRows * Math.Max(inputs, widest));
        }

        public int BlockRows { get; }

        public Span<float> Buffer(int which, int length) => _storage.AsSpan(_offset + which * _half, length);

        /// <summary>Room for one block of converted input rows; allocated on the first byte-input call only.</summary>
        public Span<float> Input(int length) => (_input ??= new float[_inputLength]).AsSpan(0, length);

        /// <summary>Room for one block of quantized rows (input or activations); allocated on first use only.</summary>
        public Span<byte> Bytes(int length) => (_bytes ??= new byte[_bytesLength]).AsSpan(0, length);
    }
}
