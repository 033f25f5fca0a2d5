using NnSimd.Internal;

namespace NnSimd.Model;

/// <summary>
/// The scratch memory of a forward pass, allocated once per thread and reused: a steady-state pass allocates
/// nothing. A network runs any batch through it in blocks of <see cref="BlockRows"/> rows (each block goes
/// through every layer while its activations are still in cache), so its size does not grow with the batch.
/// Not thread-safe: one workspace per thread; the network itself is shared.
/// </summary>
public sealed class InferenceWorkspace
{
    private readonly float[] _storage;
    private readonly int _offset;
    private readonly int _half;
    private readonly int[] _classes;

    internal InferenceWorkspace(Network network, int blockRows)
    {
        Network = network;
        BlockRows = blockRows;
        int widest = 1;
        foreach (DenseLayer layer in network.Layers)
        {
            widest = Math.Max(widest, layer.Outputs);
        }

        // Round each half to 16 floats so the second buffer is 64-byte aligned too.
        _half = checked((blockRows * widest + 15) / 16 * 16);
        (_storage, _offset) = AlignedBuffer.Allocate(checked(2 * _half));
        _classes = new int[blockRows];
    }

    /// <summary>The network this workspace was made for.</summary>
    public Network Network { get; }

    /// <summary>Rows per block.</summary>
    public int BlockRows { get; }

    internal Span<float> Buffer(int which, int length) => _storage.AsSpan(_offset + which * _half, length);

    internal Span<int> Classes(int rows) => _classes.AsSpan(0, rows);
}
