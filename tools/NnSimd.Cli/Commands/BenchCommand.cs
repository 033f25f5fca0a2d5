using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using NnSimd.Bench;
using NnSimd.Cli.Bench;
using NnSimd.Model;

namespace NnSimd.Cli.Commands;

/// <summary>
/// <c>nnsimd bench</c>: a short summary of inference speed for users: images/s and us per image at batch 1, 100
/// and 10,000 on 1 and N threads, in float32 and in int8, the images passed as bytes; GFLOP/s (float32 against the measured FMA peak), and managed bytes allocated per call.
/// It runs for a fixed time rather than a fixed count, interleaving the configurations round by round until the
/// time is up, so that the medians are steady on a busy machine and the wait is known in advance.
/// </summary>
internal static class BenchCommand
{
    /// <summary>
    /// Measured on a shared two-core machine under load: at 15 s the fastest pass of each one-thread configuration
    /// agreed within about 2% from run to run, where 7 passes each (2 s in all) spread by up to 40%. There, the
    /// two-thread figures and all the medians follow the other load at any length tried (5 to 20 s).
    /// </summary>
    public const double DefaultSeconds = 15;

    /// <summary>Fewest timed rounds, however short the time given: a median needs a few.</summary>
    private const int MinRounds = 3;

    public static Command Create()
    {
        var threads = CommonOptions.Int("--threads", Environment.ProcessorCount, 1, Environment.ProcessorCount, "Largest thread count to measure.");
        var seconds = CommonOptions.Real("--seconds", (float)DefaultSeconds, 0, minExcluded: true, 3601,
            "How long to measure, in all: a tenth for the FMA peak (at most 1 s), a tenth to warm up, the rest in timed rounds.");
        var json = CommonOptions.Json();
        var command = new Command("bench", $"Measure inference speed of the 784-50-100-10 network on this machine, float32 and int8, images passed as bytes (about {DefaultSeconds:F0} s; see --seconds).")
        {
            threads, seconds, json,
        };
        command.SetAction(result => Cli.Guarded(() => Run(result.GetValue(threads), result.GetValue(seconds), result.GetValue(json))));
        return command;
    }

    private static int Run(int maxThreads, double seconds, bool json)
    {
        const int images = 10_000;
        var clock = Stopwatch.StartNew();
        TimeSpan budget = TimeSpan.FromSeconds(seconds);
        Network network = RandomMnistNetwork();
        var pixels = new byte[images * network.Inputs];
        new Random(1).NextBytes(pixels);

        // Calibrated on a thousand of the images: the timing does not depend on the scales.
        QuantizedNetwork quantized = network.Quantize(Array.ConvertAll(pixels[..(1000 * network.Inputs)], p => p / 255f));

        using var progress = new ProgressLine("bench", json);
        progress.Report("measuring FMA peak");
        double peak = FmaPeak.Measure(TimeSpan.FromSeconds(Math.Min(1, seconds / 10)));
        var benches = new List<InferenceBench>();
        foreach (int t in maxThreads == 1 ? [1] : new[] { 1, maxThreads })
        {
            foreach (int b in new[] { 1, 100, 10_000 })
            {
                benches.Add(new InferenceBench(network, pixels, images, b, t));
                benches.Add(new InferenceBench(quantized, network.MultiplyAddsPerRow, pixels, images, b, t));
            }
        }

        TimeSpan warmedUp = clock.Elapsed + budget / 10;
        do
        {
            progress.Report("warming up");
            benches.ForEach(b => b.WarmUp());
        }
        while (clock.Elapsed < warmedUp);

        int rounds = 0;
        while (rounds < MinRounds || clock.Elapsed < budget)
        {
            progress.Report($"round {rounds + 1}", (int)Math.Min(budget.TotalMilliseconds, clock.Elapsed.TotalMilliseconds), (int)budget.TotalMilliseconds);
            benches.ForEach(b => b.Pass());
            rounds++;
        }

        List<BenchResult> results = benches.ConvertAll(b => b.Result());
        progress.Done();
        if (json)
        {
            Console.WriteLine(Json.Object(
            [
                ("network", network.ToString()),
                ("int8_network", quantized.ToString()),
                ("simd", SimdInfo.Path.ToString()),
                ("images", images),
                ("rounds", rounds),
                ("seconds", clock.Elapsed.TotalSeconds),
                ("peak_gflops", peak),
                ("us_per_image", results.Select(r => (IEnumerable<(string, object)>)
                [
                    ("batch", r.Batch), ("threads", r.Threads), ("median", r.MedianMicrosPerImage), ("min", r.MinMicrosPerImage),
                    ("precision", r.Precision), ("input", r.Input),
                ]).ToList()),
                ("gflops", results.Select(r => (IEnumerable<(string, object)>)
                [
                    ("batch", r.Batch), ("threads", r.Threads), ("gflops", r.Gflops), ("percent_of_peak", PercentOfPeak(r, peak)!),
                    ("precision", r.Precision), ("input", r.Input),
                ]).ToList()),
                ("allocated_bytes_per_call", results.Select(r => (IEnumerable<(string, object)>)
                [
                    ("batch", r.Batch), ("threads", r.Threads), ("bytes", r.AllocatedBytesPerCall),
                    ("precision", r.Precision), ("input", r.Input),
                ]).ToList()),
            ]));
            return 0;
        }

        Console.WriteLine($"network {network}, {images:N0} images as bytes, SIMD {SimdInfo.Path}, FMA peak {peak:F1} GFLOP/s per core");
        Console.WriteLine($"int8    {quantized}");
        Console.WriteLine($"{"prec.",5} {"input",5} {"batch",7} {"threads",7} {"us/image",9} {"min",9} {"images/s",11} {"GFLOP/s",8} {"% peak",7} {"B/call",7}");
        foreach (BenchResult r in results)
        {
            string percent = PercentOfPeak(r, peak) is { } p ? p.ToString("F1", CultureInfo.InvariantCulture) : "-";
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{r.Precision,5} {r.Input,5} {r.Batch,7} {r.Threads,7} {r.MedianMicrosPerImage,9:F3} {r.MinMicrosPerImage,9:F3} {1e6 / r.MedianMicrosPerImage,11:N0} {r.Gflops,8:F1} {percent,7} {r.AllocatedBytesPerCall,7:F0}"));
        }

        Console.WriteLine("int8 GFLOP/s count a multiply-add as 2 operations, as float32's; the float32 FMA peak is no bound for them, so no % peak.");

        return 0;
    }

    /// <summary>
    /// Percent of the float32 FMA peak of the threads used; null for int8, whose multiply-adds (VNNI, four byte
    /// products per lane) are not bounded by that peak.
    /// </summary>
    private static double? PercentOfPeak(BenchResult r, double peak) => r.Precision == "fp32" ? 100 * r.Gflops / (peak * r.Threads) : null;

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
