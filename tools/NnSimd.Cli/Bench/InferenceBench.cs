using System.Diagnostics;
using NnSimd.Model;

namespace NnSimd.Cli.Bench;

/// <summary>One measured configuration of the quick bench.</summary>
internal sealed record BenchResult(int Batch, int Threads, double MedianMicrosPerImage, double MinMicrosPerImage, double Gflops, double AllocatedBytesPerCall);

/// <summary>
/// Times a network over a fixed set of images at one batch size and thread count: every image classified once
/// per repetition (batch 1 = one call per image), median and minimum over the repetitions.
/// </summary>
internal static class InferenceBench
{
    public static BenchResult Run(Network network, byte[] pixels, int images, int batch, int threads, int repetitions)
    {
        InferenceWorkspace ws = network.CreateWorkspace(threads);
        var output = new float[batch * network.Outputs];
        int inputs = network.Inputs;
        int calls = images / batch;

        // Warm-up: tiered compilation, first-touch of buffers, the byte-input buffer.
        for (int i = 0; i < Math.Min(calls, 50); i++)
        {
            network.Predict(pixels.AsSpan(i * batch * inputs, batch * inputs), 255f, output, ws);
        }

        var seconds = new double[repetitions];
        long allocated = 0;
        for (int r = 0; r < repetitions; r++)
        {
            long bytesBefore = GC.GetAllocatedBytesForCurrentThread();
            long start = Stopwatch.GetTimestamp();
            for (int i = 0; i < calls; i++)
            {
                network.Predict(pixels.AsSpan(i * batch * inputs, batch * inputs), 255f, output, ws);
            }

            seconds[r] = Stopwatch.GetElapsedTime(start).TotalSeconds;
            allocated += GC.GetAllocatedBytesForCurrentThread() - bytesBefore;
        }

        Array.Sort(seconds);
        double median = seconds[repetitions / 2];
        double perImage = median / (calls * batch) * 1e6;
        double gflops = 2.0 * network.MultiplyAddsPerRow * calls * batch / median / 1e9;
        return new BenchResult(batch, threads, perImage, seconds[0] / (calls * batch) * 1e6, gflops, (double)allocated / (repetitions * calls));
    }
}
