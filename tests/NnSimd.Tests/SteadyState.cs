using System.Runtime;
using Xunit;
using Xunit.Abstractions;

namespace NnSimd.Tests;

/// <summary>What the calling thread allocates once the runtime has finished compiling the code under test.</summary>
internal static class SteadyState
{
    /// <summary>
    /// Runs <paramref name="round"/> until <paramref name="rounds"/> rounds have run with no JIT compilation on
    /// this thread, and asserts that each of those allocated nothing. A round during which the JIT compiled on
    /// this thread is not counted: a loop running long in tier-0 code is recompiled on the spot (on-stack
    /// replacement), which can allocate a few kB on the calling thread. When that happens depends on time, as
    /// the switch to optimised code waits for a quiet moment, so on a busy machine it fell inside the measured
    /// calls (6,872 B in one round of 10 training steps on one thread). Discarded rounds go to the test output.
    /// </summary>
    public static void AllocatesNothing(Action round, ITestOutputHelper output, int rounds = 8)
    {
        // Far more than a quiet machine needs (the JIT is done within a few rounds), so that only code that
        // never settles fails here.
        const int limit = 1000;
        var counted = new List<long>();
        int tried = 0;
        while (counted.Count < rounds && tried < limit)
        {
            tried++;
            long compiled = JitInfo.GetCompiledMethodCount(currentThread: true);
            long before = GC.GetAllocatedBytesForCurrentThread();
            round();
            long bytes = GC.GetAllocatedBytesForCurrentThread() - before;
            long compiledNow = JitInfo.GetCompiledMethodCount(currentThread: true) - compiled;
            if (compiledNow == 0)
            {
                counted.Add(bytes);
            }
            else
            {
                output.WriteLine($"round {tried}: {bytes} B while the JIT compiled {compiledNow} method(s) on this thread (not counted)");
            }
        }

        Assert.True(counted.Count == rounds, $"only {counted.Count} of {tried} rounds ran without compiling on this thread");
        Assert.True(counted.All(b => b == 0), $"bytes per round: {string.Join(", ", counted)}");
    }
}
