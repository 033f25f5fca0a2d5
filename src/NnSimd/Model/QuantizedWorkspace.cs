namespace NnSimd.Model;

/// <summary>
/// The scratch memory of a <see cref="QuantizedNetwork"/>'s forward passes, allocated once and reused: any batch
/// runs through it in blocks of <see cref="BlockRows"/> rows. Not thread-safe: one workspace per calling thread.
/// </summary>
public sealed class QuantizedWorkspace
{
    internal QuantizedWorkspace(QuantizedNetwork network, int blockRows)
    {
        Network = network;
        BlockRows = blockRows;
        Lane = new InferenceWorkspace.Lane(network.Inputs, network.Layers.Select(l => l.Outputs), blockRows);
    }

    /// <summary>The network this workspace was made for.</summary>
    public QuantizedNetwork Network { get; }

    /// <summary>Rows per block.</summary>
    public int BlockRows { get; }

    internal InferenceWorkspace.Lane Lane { get; }
}
