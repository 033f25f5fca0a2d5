namespace NnSimd.Internal;

/// <summary>Work that splits into parts; part 0 runs on the calling thread.</summary>
internal interface IPartitioned
{
    void Run(int part, int parts);
}

/// <summary>
/// Runs an <see cref="IPartitioned"/> body on the calling thread plus pool threads, and waits. Its work items
/// are reused (queued as IThreadPoolWorkItem, awaited with Monitor.Wait), so a call allocates nothing, and
/// nothing runs or spins between calls. Not reentrant: one caller at a time.
/// </summary>
internal sealed class ForkJoin
{
    private readonly Worker[] _workers;

    public ForkJoin(int threads)
    {
        Guard.Positive(threads, nameof(threads));
        Threads = threads;
        _workers = new Worker[threads - 1];
        for (int i = 0; i < _workers.Length; i++)
        {
            _workers[i] = new Worker();
        }
    }

    public int Threads { get; }

    public void Run(IPartitioned body)
    {
        for (int i = 0; i < _workers.Length; i++)
        {
            _workers[i].Start(body, i + 1, Threads);
        }

        Exception? mine = null;
        try
        {
            body.Run(0, Threads);
        }
        catch (Exception e)
        {
            mine = e;
        }

        Exception? theirs = null;
        foreach (Worker worker in _workers)
        {
            theirs ??= worker.Wait();
        }

        if (mine is not null || theirs is not null)
        {
            throw new AggregateException("A parallel part failed.", new[] { mine, theirs }.OfType<Exception>());
        }
    }

    private sealed class Worker : IThreadPoolWorkItem
    {
        private readonly object _gate = new();
        private IPartitioned? _body;
        private int _part;
        private int _parts;
        private bool _finished;
        private Exception? _error;

        public void Start(IPartitioned body, int part, int parts)
        {
            (_body, _part, _parts, _finished, _error) = (body, part, parts, false, null);
            ThreadPool.UnsafeQueueUserWorkItem(this, preferLocal: false);
        }

        public void Execute()
        {
            try
            {
                _body!.Run(_part, _parts);
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

        public Exception? Wait()
        {
            lock (_gate)
            {
                while (!_finished)
                {
                    Monitor.Wait(_gate);
                }
            }

            _body = null;
            return _error;
        }
    }
}
