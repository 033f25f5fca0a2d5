using System.Runtime.CompilerServices;
using NnSimd.Internal;
using Xunit;

namespace NnSimd.Tests.Internal;

public class ForkJoinTests
{
    private sealed class Recorder(int parts) : IPartitioned
    {
        public Thread?[] Threads { get; } = new Thread?[parts];

        public void Run(int part, int parts) => Threads[part] = Thread.CurrentThread;
    }

    private sealed class Failing : IPartitioned
    {
        public void Run(int part, int parts) => throw new InvalidOperationException($"part {part}");
    }

    private sealed class FailingPart(int failing) : IPartitioned
    {
        public void Run(int part, int parts)
        {
            if (part == failing)
            {
                throw new InvalidOperationException($"part {part}");
            }
        }
    }

    [Fact]
    public void Part_0_runs_on_the_caller_and_the_others_on_threads_of_its_own()
    {
        // Not pool threads: the pool starts a thread from whichever thread queues work when it grows, and that
        // thread pays the allocation (136 B), so a call on a busy machine allocated now and then.
        var forkJoin = new ForkJoin(3);
        var recorder = new Recorder(3);
        for (int call = 0; call < 20; call++)
        {
            forkJoin.Run(recorder);
            Assert.Same(Thread.CurrentThread, recorder.Threads[0]);
            Assert.All(recorder.Threads.Skip(1), t => Assert.False(t!.IsThreadPoolThread));
            Assert.Equal(forkJoin.WorkerThreads, recorder.Threads.Skip(1));
        }
    }

    [Fact]
    public void A_failing_part_fails_the_call_and_the_next_call_still_works()
    {
        var forkJoin = new ForkJoin(2);
        var e = Assert.Throws<AggregateException>(() => forkJoin.Run(new Failing()));
        Assert.Equal(["part 0", "part 1"], e.InnerExceptions.Select(i => i.Message).Order());
        var recorder = new Recorder(2);
        forkJoin.Run(recorder);
        Assert.All(recorder.Threads, t => Assert.NotNull(t));
    }

    [Fact]
    public void One_failing_part_rethrows_its_own_exception()
    {
        var forkJoin = new ForkJoin(2);
        Assert.Equal("part 1", Assert.Throws<InvalidOperationException>(() => forkJoin.Run(new FailingPart(1))).Message);
        Assert.Equal("part 0", Assert.Throws<InvalidOperationException>(() => forkJoin.Run(new FailingPart(0))).Message);
    }

    [Fact]
    public void The_threads_end_once_the_fork_join_is_collected()
    {
        Thread[] threads = UsedAndDropped();
        GC.Collect();
        GC.WaitForPendingFinalizers();

        // A bound only so that a leak fails instead of hanging the run; they end as soon as they are woken.
        Assert.All(threads, t => Assert.True(t.Join(TimeSpan.FromMinutes(2)), "a worker thread outlived its fork-join"));
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static Thread[] UsedAndDropped()
    {
        var forkJoin = new ForkJoin(3);
        forkJoin.Run(new Recorder(3));
        return forkJoin.WorkerThreads.ToArray();
    }
}
