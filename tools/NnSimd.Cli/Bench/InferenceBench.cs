using System.Diagnostics;
using NnSimd.Model;

namespace NnSimd.Cli.Bench;

/// <summary>
/// One measured configuration of the bench. <paramref name="Precision"/> is fp32 or int8; <paramref name="Input"/>
/// is how the images were passed, bytes (pixels / 255) or floats.
/// </summary>
internal sealed record BenchResult(string Precision, string Input, int Batch, int Threads, int Passes, double MedianMicrosPerImage, double MinMicrosPerImage, double Gflops, double AllocatedBytesPerCall);

/// <summary>
/// Times a network over a fixed set of images at one batch size and thread count. A pass classifies every
/// image once (batch 1 = one call per image); the median and the fastest pass are reported. The caller
/// interleaves the passes of all configurations, so a stretch of load on a shared machine slows each of
/// them a little rather than one of them a lot. The images are pixels, passed as bytes with divisor 255.
/// </summary>
internal sealed class InferenceBench
{
    private readonly Network? _network;
    private readonly InferenceWorkspace? _workspace;
    private readonly QuantizedNetwork? _quantized;
    private readonly QuantizedWorkspace? _quantizedWorkspace;
    private readonly long _multiplyAddsPerRow;
    private readonly byte[] _pixels;
    private readonly int _images;
    private readonly int _inputs;
    private readonly float[] _output;
    private readonly List<double> _seconds = [];
    private long _allocated;

    /// <summary>The float32 network on <paramref name="threads"/> threads.</summary>
    public InferenceBench(Network network, byte[] pixels, int images, int batch, int threads)
        : this(pixels, images, batch, threads, network.Inputs, network.Outputs, network.MultiplyAddsPerRow)
    {
        _network = network;
        _workspace = network.CreateWorkspace(threads);
    }

    /// <summary>The int8 network on <paramref name="threads"/> threads.</summary>
    public InferenceBench(QuantizedNetwork network, long multiplyAddsPerRow, byte[] pixels, int images, int batch, int threads)
        : this(pixels, images, batch, threads, network.Inputs, network.Outputs, multiplyAddsPerRow)
    {
        _quantized = network;
        _quantizedWorkspace = network.CreateWorkspace(threads);
    }

    private InferenceBench(byte[] pixels, int images, int batch, int threads, int inputs, int outputs, long multiplyAddsPerRow)
    {
        _pixels = pixels;
        _images = images;
        _inputs = inputs;
        Batch = batch;
        Threads = threads;
        _multiplyAddsPerRow = multiplyAddsPerRow;
        _output = new float[batch * outputs];
    }

    public int Batch { get; }

    public int Threads { get; }

    public string Precision => _quantized is null ? "fp32" : "int8";

    private int Calls => _images / Batch;

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
        int perPass = Calls * Batch;
        double gflops = 2.0 * _multiplyAddsPerRow * perPass / median / 1e9;
        return new BenchResult(Precision, "bytes", Batch, Threads, sorted.Length, median / perPass * 1e6, sorted[0] / perPass * 1e6, gflops, (double)_allocated / (sorted.Length * Calls));
    }

    private void Classify()
    {
        int rows = Batch * _inputs;
        for (int i = 0; i < Calls; i++)
        {
            ReadOnlySpan<byte> x = _pixels.AsSpan(i * rows, rows);
            if (_network is not null)
            {
                _network.Predict(x, 255f, _output, _workspace!);
            }
            else
            {
                _quantized!.Predict(x, 255f, _output, _quantizedWorkspace!);
            }
        }
    }
}
