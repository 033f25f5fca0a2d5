using System.Runtime.CompilerServices;
using System.Runtime.ExceptionServices;

namespace NnSimd.Internal;

/// <summary>Work that splits into parts; part 0 runs on the calling thread.</summary>
internal interface IPartitioned
{
    void Run(int part, int parts);
}

/// <summary>
/// Runs an <see cref="IPartitioned"/> body on the calling thread plus threads of its own, and waits. The threads
/// are started here, once, rather than taken from the thread pool: the pool starts a new thread from whichever
/// thread queues work when it grows (its idle threads retire after a while, and a busy machine makes it grow
/// more often), and that thread pays for the new Thread, 136 B, so a call allocated now and then. Between calls
/// a worker spins briefly, as pool threads do, so that back-to-back calls find it awake; then it parks.
/// Not reentrant: one caller at a time. The threads end when this object is collected.
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

    // The workers' threads hold their Worker, never this object, so it can be collected while they park.
    ~ForkJoin()
    {
        // A constructor that threw leaves the array unset or partly filled.
        foreach (Worker? worker in _workers ?? [])
        {
            worker?.Stop();
        }
    }

    public int Threads { get; }

    /// <summary>The workers' threads, for tests.</summary>
    internal IEnumerable<Thread> WorkerThreads => _workers.Select(w => w.Thread);

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

        // One failed part rethrows its own exception, so bad input gives the same error on any number of threads.
        if (mine is not null && theirs is not null)
        {
            throw new AggregateException("Parallel parts failed.", mine, theirs);
        }

        if ((mine ?? theirs) is { } failed)
        {
            ExceptionDispatchInfo.Throw(failed);
        }

        // The finalizer must not stop the workers while a call is still using them.
        GC.KeepAlive(this);
    }

    private sealed class Worker
    {
        // Tens of microseconds: short next to any call worth splitting, long enough for the next call of a loop.
        private const int SpinsBeforeParking = 50;

        private readonly object _gate = new();
        private IPartitioned? _body;
        private int _part;
        private int _parts;
        private volatile bool _posted;
        private bool _finished;
        private bool _stopped;
        private Exception? _error;

        public Worker()
        {
            // Unsafe: the creator's execution context (its AsyncLocal values) must not live as long as the thread.
            Thread = new Thread(Loop) { IsBackground = true, Name = "NnSimd worker" };
            Thread.UnsafeStart();
        }

        public Thread Thread { get; }

        public void Start(IPartitioned body, int part, int parts)
        {
            lock (_gate)
            {
                (_body, _part, _parts, _finished, _error) = (body, part, parts, false, null);
                _posted = true;
                Monitor.Pulse(_gate);
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

            return _error;
        }

        public void Stop()
        {
            lock (_gate)
            {
                _stopped = true;
                Monitor.Pulse(_gate);
            }
        }

        private void Loop()
        {
            while (true)
            {
                var spin = default(SpinWait);
                for (int i = 0; i < SpinsBeforeParking && !_posted; i++)
                {
                    spin.SpinOnce(sleep1Threshold: -1);
                }

                lock (_gate)
                {
                    while (!_posted && !_stopped)
                    {
                        Monitor.Wait(_gate);
                    }

                    // Posted work runs even when stopping, so a caller is never left waiting.
                    if (!_posted)
                    {
                        return;
                    }
                }

                RunPosted();
            }
        }

        // A frame of its own, so that no reference to the body (which may own the ForkJoin) outlives the part
        // on this thread's stack while it parks.
        [MethodImpl(MethodImplOptions.NoInlining)]
        private void RunPosted()
        {
            IPartitioned body;
            int part, parts;
            lock (_gate)
            {
                (body, part, parts) = (_body!, _part, _parts);
                (_body, _posted) = (null, false);
            }

            Exception? error = null;
            try
            {
                body.Run(part, parts);
            }
            catch (Exception e)
            {
                error = e;
            }

            lock (_gate)
            {
                (_error, _finished) = (error, true);
                Monitor.Pulse(_gate);
            }
        }
    }
}
