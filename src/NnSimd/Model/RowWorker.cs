namespace NnSimd.Model;

/// <summary>
/// One part of a split batch, run on a pool thread. Reused from call to call (queued with
/// UnsafeQueueUserWorkItem as an IThreadPoolWorkItem, awaited with Monitor.Wait on a private gate), so
/// splitting a batch allocates nothing and leaves nothing to dispose. The caller pins the spans for the duration of the call and hands over raw pointers.
/// </summary>
internal sealed unsafe class RowWorker(InferenceWorkspace.Lane lane) : IThreadPoolWorkItem
{
    private readonly object _gate = new();
    private bool _finished;
    private RowJob _job;
    private Exception? _error;

    public void Start(in RowJob job)
    {
        _job = job;
        _error = null;
        _finished = false;
        ThreadPool.UnsafeQueueUserWorkItem(this, preferLocal: false);
    }

    public void Execute()
    {
        try
        {
            _job.Run(lane);
        }
        catch (Exception e)
        {
            _error = e;
        }
        finally
        {
            lock (_gate)
            {
                _finished = true;
                Monitor.Pulse(_gate);
            }
        }
    }

    public void Wait()
    {
        lock (_gate)
        {
            while (!_finished)
            {
                Monitor.Wait(_gate);
            }
        }

        _job = default;
        if (_error is not null)
        {
            throw new AggregateException("A worker thread failed.", _error);
        }
    }
}

/// <summary>One contiguous range of rows to push through a network: inputs, outputs and what to write.</summary>
internal unsafe struct RowJob
{
    public Network Network;
    public float* Input;
    public byte* Bytes;
    public float Divisor;
    public float* Output;
    public int* Classes;
    public int Rows;
    public NetworkOutput Kind;

    public readonly void Run(InferenceWorkspace.Lane lane)
    {
        int inputs = Network.Inputs;
        if (Bytes is not null)
        {
            Network.RunRows(new ReadOnlySpan<byte>(Bytes, Rows * inputs), Divisor, ReadOnlySpan<float>.Empty, Rows, OutputSpan, ClassSpan, lane, Kind);
        }
        else
        {
            Network.RunRows(ReadOnlySpan<byte>.Empty, 0, new ReadOnlySpan<float>(Input, Rows * inputs), Rows, OutputSpan, ClassSpan, lane, Kind);
        }
    }

    private readonly Span<float> OutputSpan => Output is null ? Span<float>.Empty : new Span<float>(Output, Rows * Network.Outputs);

    private readonly Span<int> ClassSpan => Classes is null ? Span<int>.Empty : new Span<int>(Classes, Rows);
}
