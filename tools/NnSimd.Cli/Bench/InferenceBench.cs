using System.Diagnostics;
using NnSimd.Model;

namespace NnSimd.Cli.Bench;

/// <summary>One measured configuration of the bench.</summary>
internal sealed record BenchResult(int Batch, int Threads, int Passes, double MedianMicrosPerImage, double MinMicrosPerImage, double Gflops, double AllocatedBytesPerCall);

/// <summary>
/// Times a network over a fixed set of images at one batch size and thread count. A pass classifies every
/// image once (batch 1 = one call per image); the median and the fastest pass are reported. The caller
/// interleaves the passes of all configurations, so a stretch of load on a shared machine slows each of
/// them a little rather than one of them a lot.
/// </summary>
internal sealed class InferenceBench(Network network, byte[] pixels, int images, int batch, int threads)
{
    private readonly InferenceWorkspace _workspace = network.CreateWorkspace(threads);
    private readonly float[] _output = new float[batch * network.Outputs];
    private readonly List<double> _seconds = [];
    private long _allocated;

    public int Batch => batch;

    public int Threads => threads;

    private int Calls => images / batch;

    /// <summary>An untimed pass: tiered compilation, first touch of the buffers, a core waking from idle.</summary>
    public void WarmUp() => Classify();

    /// <summary>A timed pass, kept for the result.</summary>
    public void Pass()
    {
        long bytesBefore = GC.GetAllocatedBytesForCurrentThread();
        long start = Stopwatch.GetTimestamp();
        Classify();
        double seconds = Stopwatch.GetElapsedTime(start).TotalSeconds;
        _allocated += GC.GetAllocatedBytesForCurrentThread() - bytesBefore;
        _seconds.Add(seconds);
    }

    public BenchResult Result()
    {
        double[] sorted = [.. _seconds.Order()];
        double median = sorted[sorted.Length / 2];
        int perPass = Calls * batch;
        double gflops = 2.0 * network.MultiplyAddsPerRow * perPass / median / 1e9;
        return new BenchResult(batch, threads, sorted.Length, median / perPass * 1e6, sorted[0] / perPass * 1e6, gflops, (double)_allocated / (sorted.Length * Calls));
    }

    private void Classify()
    {
        int inputs = network.Inputs;
        for (int i = 0; i < Calls; i++)
        {
            network.Predict(pixels.AsSpan(i * batch * inputs, batch * inputs), 255f, _output, _workspace);
        }
    }
}
