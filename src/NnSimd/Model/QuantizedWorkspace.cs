namespace NnSimd.Model;

/// <summary>
/// The scratch memory of a <see cref="QuantizedNetwork"/>'s forward passes, allocated once and reused: any batch
/// runs through it in blocks of <see cref="BlockRows"/> rows, split across <see cref="Threads"/> threads when large,
/// as an <see cref="InferenceWorkspace"/> does. Not thread-safe: one workspace per calling thread.
/// </summary>
public sealed class QuantizedWorkspace
{
    internal QuantizedWorkspace(QuantizedNetwork network, int blockRows, int threads)
    {
        Network = network;
        BlockRows = blockRows;
        Lanes = new WorkspaceLanes<QuantizedRunner>(new QuantizedRunner(network), network.Inputs, network.Outputs, () => new InferenceWorkspace.Lane(network, blockRows), threads);
    }

    /// <summary>The network this workspace was made for.</summary>
    public QuantizedNetwork Network { get; }

    /// <summary>Rows per block.</summary>
    public int BlockRows { get; }

    /// <summary>Threads a large batch is split across (1 = the calling thread only).</summary>
    public int Threads => Lanes.Threads;

    internal WorkspaceLanes<QuantizedRunner> Lanes { get; }
}
