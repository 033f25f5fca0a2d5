using System.Runtime.InteropServices;
using NnSimd.Internal;

namespace NnSimd.Model;

/// <summary>
/// What a workspace holds for its network, float or int8: one lane of buffers per thread, the threads themselves
/// (with more than one), and one <see cref="RowSplit{TRunner, TSource, TSink}"/> per mode, made up front so that no
/// call allocates, not even a mode's first; and the calls both networks make through it: their checks, the caller's
/// memory pinned for the call, and the rows run on this thread or split across the threads.
/// </summary>
internal sealed class WorkspaceLanes<TRunner>
    where TRunner : struct, IRowRunner
{
    private readonly TRunner _runner;
    private readonly int _inputs;
    private readonly int _outputs;
    private readonly InferenceWorkspace.Lane[] _lanes;
    private readonly IPartitioned[] _splits;
    private readonly ForkJoin? _threads;

    /// <summary>Lanes for a network of <paramref name="inputs"/> inputs and <paramref name="outputs"/> outputs, made by <paramref name="lane"/>.</summary>
    public WorkspaceLanes(TRunner runner, int inputs, int outputs, Func<InferenceWorkspace.Lane> lane, int threads)
    {
        _runner = runner;
        _inputs = inputs;
        _outputs = outputs;
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

    /// <summary>output: [rows x outputs] for input: [rows x inputs].</summary>
    public unsafe void Predict(ReadOnlySpan<float> input, Span<float> output, NetworkOutput kind)
    {
        int rows = Rows(input.Length);
        AskForFewRows(MemoryMarshal.AsBytes(input), rows);
        Guard.Shape(output, rows, _outputs, nameof(output));
        if (input.Overlaps(output))
        {
            Guard.ThrowArgument("output must not overlap input.", nameof(output));
        }

        fixed (float* x = input)
        fixed (float* y = output)
        {
            Predict(new FloatRows(x, _inputs), y, kind, rows);
        }
    }

    /// <summary>output: [rows x outputs] for byte rows standing for byte / divisor.</summary>
    public unsafe void Predict(ReadOnlySpan<byte> input, float divisor, Span<float> output, NetworkOutput kind)
    {
        int rows = Rows(input.Length);
        CheckDivisor(divisor);
        Guard.Shape(output, rows, _outputs, nameof(output));
        fixed (byte* x = input)
        fixed (float* y = output)
        {
            Predict(new ByteRows(x, _inputs, divisor), y, kind, rows);
        }
    }

    /// <summary>classes[r] = the argmax of row r's scores.</summary>
    public unsafe void Classify(ReadOnlySpan<float> input, Span<int> classes)
    {
        int rows = Rows(input.Length);
        AskForFewRows(MemoryMarshal.AsBytes(input), rows);
        CheckClasses(classes, rows);
        fixed (float* x = input)
        fixed (int* c = classes)
        {
            Run(new FloatRows(x, _inputs), new ClassIndices(c, _outputs), rows);
        }
    }

    /// <summary>classes[r] for byte rows standing for byte / divisor.</summary>
    public unsafe void Classify(ReadOnlySpan<byte> input, float divisor, Span<int> classes)
    {
        int rows = Rows(input.Length);
        CheckDivisor(divisor);
        CheckClasses(classes, rows);
        fixed (byte* x = input)
        fixed (int* c = classes)
        {
            Run(new ByteRows(x, _inputs, divisor), new ClassIndices(c, _outputs), rows);
        }
    }

    /// <summary>
    /// A call of fewer float rows than the GEMM's smallest tile (4: one image at a time, typically) asks for its
    /// input's cache lines all at once before anything else. When they come from DRAM they then arrive while the call
    /// checks and sets up, not one wait after another as the first layer reads them: MNIST's test images as floats
    /// one at a time took 0.83-0.90x the time (with the GEMM's own request for a lone row's lines; both builds in one
    /// process, benchmarks/NnSimd.AB). Larger batches have the GEMM's tiles ask for the next tile's rows as they go.
    /// </summary>
    private const int FewRows = 4;

    private static void AskForFewRows(ReadOnlySpan<byte> input, int rows)
    {
        if (rows < FewRows)
        {
            Prefetch.LinesIntoL1(input);
        }
    }

    /// <summary>Output rows of the <paramref name="kind"/> asked for.</summary>
    private unsafe void Predict<TSource>(TSource source, float* output, NetworkOutput kind, int rows)
        where TSource : struct, IRowSource
    {
        if (kind == NetworkOutput.Scores)
        {
            Run(source, new ScoreRows(output, _outputs), rows);
        }
        else
        {
            Run(source, new ProbabilityRows(output, _outputs), rows);
        }
    }

    /// <summary>
    /// Runs the rows on the calling thread, or, with at least <see cref="Network.MinRowsPerThread"/> rows for each of
    /// two or more threads, splits them into contiguous parts across the threads.
    /// </summary>
    private void Run<TSource, TSink>(TSource source, TSink sink, int rows)
        where TSource : struct, IRowSource
        where TSink : struct, IRowSink
    {
        int parts = Math.Min(_lanes.Length, rows / Network.MinRowsPerThread);
        if (parts <= 1)
        {
            _runner.RunRows(source, sink, 0, rows, _lanes[0]);
        }
        else
        {
            RunSplit(source, sink, rows, parts);
        }
    }

    private int Rows(int length)
    {
        if (length == 0 || length % _inputs != 0)
        {
            Guard.ThrowArgument($"input has {length} elements, not a whole positive number of rows of {_inputs}.", "input");
        }

        return length / _inputs;
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

    /// <summary>Splits the rows into <paramref name="parts"/> contiguous parts across the threads and waits for them.</summary>
    private void RunSplit<TSource, TSink>(TSource source, TSink sink, int rows, int parts)
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
