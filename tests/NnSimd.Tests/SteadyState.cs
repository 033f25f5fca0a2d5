using Xunit;

namespace NnSimd.Tests;

/// <summary>What the calling thread allocates in a steady state.</summary>
internal static class SteadyState
{
    /// <summary>
    /// Runs <paramref name="round"/> once to compile it, then <paramref name="rounds"/> times, and asserts that
    /// no round allocated on this thread. A failure lists each round's bytes and the gen-0 collections during
    /// it, to tell one-off work (one round, maybe with a collection) from an allocation per call (every round).
    /// </summary>
    public static void AllocatesNothing(Action round, int rounds = 8)
    {
        round();
        var bytes = new long[rounds];
        var collections = new int[rounds];
        for (int i = 0; i < rounds; i++)
        {
            int gen0 = GC.CollectionCount(0);
            long before = GC.GetAllocatedBytesForCurrentThread();
            round();
            bytes[i] = GC.GetAllocatedBytesForCurrentThread() - before;
            collections[i] = GC.CollectionCount(0) - gen0;
        }

        Assert.True(bytes.All(b => b == 0), "bytes (gen-0 collections) per round: " +
            string.Join(", ", bytes.Select((b, i) => $"{b} ({collections[i]})")));
    }
}
