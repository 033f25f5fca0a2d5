using NnSimd.Internal;

namespace NnSimd.Model;

/// <summary>
/// A batch split into contiguous parts of rows, one per thread of a <see cref="ForkJoin"/>, each pushed through
/// the network with its own lane of the workspace. Reused from call to call: the caller pins its spans for the
/// duration of the call and hands over raw pointers, so splitting allocates nothing.
/// </summary>
internal sealed unsafe class RowSplit(Network network, InferenceWorkspace.Lane[] lanes) : IPartitioned
{
    public byte* Bytes;
    public float* Floats;
    public float Divisor;
    public float* Output;
    public int* Classes;
    public int Rows;
    public int Parts;
    public NetworkOutput Kind;

    public void Run(int part, int parts)
    {
        // Parts beyond Parts (a batch too small for every thread) come out empty.
        (int r0, int n) = RowPartition.Part(Rows, part, Parts);
        if (n <= 0)
        {
            return;
        }

        int inputs = network.Inputs, outputs = network.Outputs;
        network.RunRows(
            Bytes is null ? [] : new ReadOnlySpan<byte>(Bytes + (long)r0 * inputs, n * inputs),
            Divisor,
            Floats is null ? [] : new ReadOnlySpan<float>(Floats + (long)r0 * inputs, n * inputs),
            n,
            Output is null ? [] : new Span<float>(Output + (long)r0 * outputs, n * outputs),
            Classes is null ? [] : new Span<int>(Classes + r0, n),
            lanes[part],
            Kind);
    }

    public void Clear()
    {
        Bytes = null;
        Floats = null;
        Output = null;
        Classes = null;
    }
}
