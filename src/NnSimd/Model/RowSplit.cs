using NnSimd.Internal;

namespace NnSimd.Model;

/// <summary>
/// A network that pushes rows through its layers block by block on one lane, float or int8, wrapped in a struct: a
/// generic class over a struct is compiled for it, so the call below is direct. Over a class it would be shared code
/// making a generic virtual call, whose resolution goes through a runtime cache that now and then allocates a new
/// table on the calling thread (8-12 KB, seen in CI under a full parallel test run).
/// </summary>
internal interface IRowRunner
{
    /// <summary>Runs rows <c>[start, start + count)</c> of <paramref name="source"/> into <paramref name="sink"/> on the calling thread.</summary>
    void RunRows<TSource, TSink>(TSource source, TSink sink, int start, int count, InferenceWorkspace.Lane lane)
        where TSource : struct, IRowSource
        where TSink : struct, IRowSink;
}

/// <summary>The float network as an <see cref="IRowRunner"/>.</summary>
internal readonly struct FloatRunner(Network network) : IRowRunner
{
    public void RunRows<TSource, TSink>(TSource source, TSink sink, int start, int count, InferenceWorkspace.Lane lane)
        where TSource : struct, IRowSource
        where TSink : struct, IRowSink => network.RunRows(source, sink, start, count, lane);
}

/// <summary>The int8 network as an <see cref="IRowRunner"/>.</summary>
internal readonly struct QuantizedRunner(QuantizedNetwork network) : IRowRunner
{
    public void RunRows<TSource, TSink>(TSource source, TSink sink, int start, int count, InferenceWorkspace.Lane lane)
        where TSource : struct, IRowSource
        where TSink : struct, IRowSink => network.RunRows(source, sink, start, count, lane);
}

/// <summary>
/// A batch split into contiguous parts of rows, one per thread of a <see cref="ForkJoin"/>, each pushed through
/// the network with its own lane of the workspace. One per workspace and mode, reused from call to call, so
/// splitting allocates nothing once each mode has run.
/// </summary>
internal sealed class RowSplit<TRunner, TSource, TSink>(TRunner runner, InferenceWorkspace.Lane[] lanes) : IPartitioned
    where TRunner : struct, IRowRunner
    where TSource : struct, IRowSource
    where TSink : struct, IRowSink
{
    private TSource _source;
    private TSink _sink;
    private int _rows;
    private int _parts;

    /// <summary>Runs <paramref name="rows"/> rows in <paramref name="parts"/> parts and waits for all of them.</summary>
    public void Run(ForkJoin threads, TSource source, TSink sink, int rows, int parts)
    {
        _source = source;
        _sink = sink;
        _rows = rows;
        _parts = parts;
        try
        {
            threads.Run(this);
        }
        finally
        {
            // The pointers are valid only while the caller keeps its spans pinned.
            _source = default;
            _sink = default;
        }
    }

    void IPartitioned.Run(int part, int parts)
    {
        // Threads beyond _parts (a batch too small for every thread) get empty parts.
        (int start, int count) = RowPartition.Part(_rows, part, _parts);
        if (count > 0)
        {
            runner.RunRows(_source, _sink, start, count, lanes[part]);
        }
    }
}
