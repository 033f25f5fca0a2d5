using Xunit;

namespace NnSimd.Tests;

/// <summary>What the calling thread allocates in a steady state.</summary>
internal static class SteadyState
{
    /// <summary>
    /// Runs <paramref name="round"/> once to compile it, then measures rounds until <paramref name="rounds"/> clean
    /// ones in a row follow at most one round that allocated, and asserts that. The one round allowed is for the
    /// runtime, not for the code: its per-thread counter (GC.GetAllocatedBytesForCurrentThread) now and then
    /// reports about an allocation quantum, 8 KB, in a window where nothing was allocated. Its own test of that
    /// counter fails so, rarely, and so did ours: 8-12 KB in one round, then nothing. Anything the code allocates
    /// more than once in <paramref name="rounds"/> + 1 rounds still fails. A failure lists each round's bytes and the
    /// gen-0 collections during it.
    /// </summary>
    public static void AllocatesNothing(Action round, int rounds = 8)
    {
        round();
        var bytes = new List<long>();
        var collections = new List<int>();
        int clean = 0;
        int allocating = 0;
        while (clean < rounds && allocating < 2)
        {
            int gen0 = GC.CollectionCount(0);
            long before = GC.GetAllocatedBytesForCurrentThread();
            round();
            long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
            bytes.Add(allocated);
            collections.Add(GC.CollectionCount(0) - gen0);
            (clean, allocating) = allocated == 0 ? (clean + 1, allocating) : (0, allocating + 1);
        }

        Assert.True(allocating < 2, "bytes (gen-0 collections) per round: " +
            string.Join(", ", bytes.Select((b, i) => $"{b} ({collections[i]})")));
    }
}
