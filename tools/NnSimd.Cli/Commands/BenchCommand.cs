using System.CommandLine;
using System.Globalization;
using NnSimd.Cli.Bench;
using NnSimd.Model;

namespace NnSimd.Cli.Commands;

/// <summary>
/// <c>nnsimd bench</c>: a short summary of inference speed for users: images/s and us per image at batch 1, 100
/// and 10,000 on 1 and N threads, GFLOP/s against the measured FMA peak, and managed bytes allocated per call.
/// </summary>
internal static class BenchCommand
{
    public static Command Create()
    {
        var threads = new Option<int>("--threads") { Description = "Largest thread count to measure.", DefaultValueFactory = _ => Environment.ProcessorCount };
        var repetitions = new Option<int>("--repetitions") { Description = "Timed passes per configuration (median reported).", DefaultValueFactory = _ => 7 };
        var json = new Option<bool>("--json") { Description = "Print one JSON object instead of a table." };
        var command = new Command("bench", "Measure inference speed of the 784-50-100-10 network on this machine.") { threads, repetitions, json };
        command.SetAction(result => Run(result.GetValue(threads), result.GetValue(repetitions), result.GetValue(json)));
        return command;
    }

    private static int Run(int maxThreads, int repetitions, bool json)
    {
        if (maxThreads < 1 || repetitions < 1)
        {
            return Cli.Fail("--threads and --repetitions must be at least 1.");
        }

        const int images = 10_000;
        Network network = RandomMnistNetwork();
        var pixels = new byte[images * network.Inputs];
        new Random(1).NextBytes(pixels);

        using var progress = new ProgressLine("bench", json);
        progress.Report("measuring FMA peak");
        double peak = FmaPeak.Measure(TimeSpan.FromSeconds(1));
        var configs = new List<(int Batch, int Threads)>();
        foreach (int t in maxThreads == 1 ? [1] : new[] { 1, maxThreads })
        {
            foreach (int b in new[] { 1, 100, 10_000 })
            {
                configs.Add((b, t));
            }
        }

        var results = new List<BenchResult>();
        for (int i = 0; i < configs.Count; i++)
        {
            progress.Report($"batch {configs[i].Batch}, {configs[i].Threads} thread(s)", i, configs.Count);
            results.Add(InferenceBench.Run(network, pixels, images, configs[i].Batch, configs[i].Threads, repetitions));
        }

        progress.Done();
        if (json)
        {
            Console.WriteLine(Json.Object(
            [
                ("network", network.ToString()),
                ("simd", SimdInfo.Path.ToString()),
                ("images", images),
                ("peak_gflops", peak),
                ("us_per_image", results.Select(r => (IEnumerable<(string, object)>)
                [
                    ("batch", r.Batch), ("threads", r.Threads), ("median", r.MedianMicrosPerImage), ("min", r.MinMicrosPerImage),
                ]).ToList()),
                ("gflops", results.Select(r => (IEnumerable<(string, object)>)
                [
                    ("batch", r.Batch), ("threads", r.Threads), ("gflops", r.Gflops), ("percent_of_peak", 100 * r.Gflops / (peak * r.Threads)),
                ]).ToList()),
                ("allocated_bytes_per_call", results.Select(r => (IEnumerable<(string, object)>)
                [
                    ("batch", r.Batch), ("threads", r.Threads), ("bytes", r.AllocatedBytesPerCall),
                ]).ToList()),
            ]));
            return 0;
        }

        Console.WriteLine($"network {network}, {images:N0} images, SIMD {SimdInfo.Path}, FMA peak {peak:F1} GFLOP/s per core");
        Console.WriteLine($"{"batch",7} {"threads",7} {"us/image",9} {"min",9} {"images/s",11} {"GFLOP/s",8} {"% peak",7} {"B/call",7}");
        foreach (BenchResult r in results)
        {
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{r.Batch,7} {r.Threads,7} {r.MedianMicrosPerImage,9:F3} {r.MinMicrosPerImage,9:F3} {1e6 / r.MedianMicrosPerImage,11:N0} {r.Gflops,8:F1} {100 * r.Gflops / (peak * r.Threads),7:F1} {r.AllocatedBytesPerCall,7:F0}"));
        }

        return 0;
    }

    /// <summary>The book's 784-50-100-10 sigmoid network with random weights: timing does not depend on the values.</summary>
    internal static Network RandomMnistNetwork()
    {
        var rng = new Random(7);
        int[] widths = [784, 50, 100, 10];
        var layers = new DenseLayer[3];
        for (int i = 0; i < 3; i++)
        {
            var w = new float[widths[i] * widths[i + 1]];
            for (int j = 0; j < w.Length; j++)
            {
                w[j] = (float)(rng.NextDouble() - 0.5) * 0.1f;
            }

            layers[i] = new DenseLayer(w, new float[widths[i + 1]], widths[i], widths[i + 1], i == 2 ? Activation.Softmax : Activation.Sigmoid);
        }

        return new Network(layers);
    }
}
