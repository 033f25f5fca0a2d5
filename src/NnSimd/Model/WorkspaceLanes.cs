using NnSimd.Internal;

namespace NnSimd.Model;

/// <summary>
/// What a workspace holds for its network, float or int8: one lane of buffers per thread, the threads themselves
/// (with more than one), and one <see cref="RowSplit{TRunner, TSource, TSink}"/> per mode, made up front so that no
/// call allocates, not even a mode's first.
/// </summary>
internal sealed class WorkspaceLanes<TRunner>
    where TRunner : struct, IRowRunner
{
    private readonly InferenceWorkspace.Lane[] _lanes;
    private readonly IPartitioned[] _splits;
    private readonly ForkJoin? _threads;

    public WorkspaceLanes(TRunner runner, Func<InferenceWorkspace.Lane> lane, int threads)
    {
        _lanes = new InferenceWorkspace.Lane[threads];
        for (int i = 0; i < threads; i++)
        {
            _lanes[i] = lane();
        }

        if (threads == 1)
        {
            _splits = [];
            return;
        }

        _threads = new ForkJoin(threads);
        _splits =
        [
            new RowSplit<TRunner, FloatRows, ProbabilityRows>(runner, _lanes),
            new RowSplit<TRunner, FloatRows, ScoreRows>(runner, _lanes),
            new RowSplit<TRunner, FloatRows, ClassIndices>(runner, _lanes),
            new RowSplit<TRunner, ByteRows, ProbabilityRows>(runner, _lanes),
            new RowSplit<TRunner, ByteRows, ScoreRows>(runner, _lanes),
            new RowSplit<TRunner, ByteRows, ClassIndices>(runner, _lanes),
        ];
    }

    public int Threads => _lanes.Length;

    /// <summary>The calling thread's lane.</summary>
    public InferenceWorkspace.Lane Main => _lanes[0];

    /// <summary>
    /// How many threads a batch of <paramref name="rows"/> rows goes to: at most one per lane, each with at least
    /// <paramref name="minRowsPerThread"/> rows. At 1 the caller runs the rows itself.
    /// </summary>
    public int Parts(int rows, int minRowsPerThread) => Math.Min(_lanes.Length, rows / minRowsPerThread);

    /// <summary>Splits the rows into <paramref name="parts"/> contiguous parts across the threads and waits for them.</summary>
    public void RunSplit<TSource, TSink>(TSource source, TSink sink, int rows, int parts)
        where TSource : struct, IRowSource
        where TSink : struct, IRowSink
    {
        foreach (IPartitioned split in _splits)
        {
            if (split is RowSplit<TRunner, TSource, TSink> typed)
            {
                typed.Run(_threads!, source, sink, rows, parts);
                return;
            }
        }

        throw new InvalidOperationException($"No split for {typeof(TSource).Name} into {typeof(TSink).Name}.");
    }
}
