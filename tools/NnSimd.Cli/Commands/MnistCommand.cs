using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using NnSimd.Cli.Checks;
using NnSimd.Data;
using NnSimd.IO;
using NnSimd.Model;

namespace NnSimd.Cli.Commands;

/// <summary>
/// <c>nnsimd mnist</c>: the book's experiment. Classifies the 10,000 MNIST test images one at a time and in
/// batches and prints the accuracy both ways (0.9352 with the book's weights) and the speed of each.
/// </summary>
internal static class MnistCommand
{
    public static Command Create()
    {
        var data = CommonOptions.Data();
        var offline = CommonOptions.Offline();
        var weights = CommonOptions.InputFile("--weights", "A model: .safetensors, .pt, .pkl or .npz (default: the book's sample_weight.pkl in the data directory).", required: false);
        var activations = new Option<string?>("--activations") { Description = "One per layer, e.g. sigmoid,sigmoid,softmax: required for a PyTorch file, which holds none." };
        var batch = CommonOptions.Int("--batch", 100, 1, 10_000, "Images per call in the batched pass.");
        var threads = CommonOptions.Threads("Threads for the batched pass.");
        var json = CommonOptions.Json();
        var command = new Command("mnist", "Classify the MNIST test set one image at a time and in batches; print accuracy and speed.")
        {
            data, offline, weights, activations, batch, threads, json,
        };
        FileChecks.Add(command, [weights]);
        command.SetAction(r => Cli.Guarded(() => Run(
            DataDirectory.Resolve(r.GetValue(data), r.GetValue(offline)), r.GetValue(weights), r.GetValue(activations), r.GetValue(batch), r.GetValue(threads), r.GetValue(json))));
        return command;
    }

    private static int Run(DataDirectory data, string? weightsPath, string? activations, int batch, int threads, bool json)
    {
        Action<string> log = json ? _ => { } : m => Console.Error.WriteLine(m);
        string weights = weightsPath ?? data.Get(KnownFiles.SampleWeights, log);
        Network network = ModelLoader.Load(weights, activations);
        MnistSet test = Mnist.Load(data.Get(KnownFiles.TestImages, log), data.Get(KnownFiles.TestLabels, log));
        if (network.Inputs != test.PixelsPerImage)
        {
            return Cli.Fail($"{weights}: the network takes {network.Inputs} inputs but the images have {test.PixelsPerImage} pixels.");
        }

        using var progress = new ProgressLine("mnist", json);
        var classes = new int[test.Count];

        InferenceWorkspace single = network.CreateWorkspace();
        InferenceWorkspace batched = network.CreateWorkspace(threads);
        int px = test.PixelsPerImage;

        // Warm-up, untimed, for a fixed 0.2 s: the first calls include the kernels' JIT compilation, and a core
        // that was idle runs the first milliseconds slowly; either would dominate a 10,000-image run.
        int warm = Math.Min(test.Count, batch);
        var clock = Stopwatch.StartNew();
        while (clock.ElapsedMilliseconds < 200)
        {
            for (int i = 0; i < 64; i++)
            {
                network.Classify(test.Pixels.AsSpan(i * px, px), 255f, classes.AsSpan(i, 1), single);
            }

            network.Classify(test.Pixels.AsSpan(0, warm * px), 255f, classes.AsSpan(0, warm), batched);
        }

        // One image at a time, as the book's first loop.
        long start = Stopwatch.GetTimestamp();
        for (int i = 0; i < test.Count; i++)
        {
            network.Classify(test.Pixels.AsSpan(i * px, px), 255f, classes.AsSpan(i, 1), single);
            if ((i & 1023) == 0)
            {
                progress.Report("one at a time", i, test.Count);
            }
        }

        double singleSeconds = Stopwatch.GetElapsedTime(start).TotalSeconds;
        int singleCorrect = Correct(classes, test.Labels);

        // In batches, as the book's second loop.
        Array.Clear(classes);
        start = Stopwatch.GetTimestamp();
        for (int i = 0; i < test.Count; i += batch)
        {
            int n = Math.Min(batch, test.Count - i);
            network.Classify(test.Pixels.AsSpan(i * px, n * px), 255f, classes.AsSpan(i, n), batched);
            progress.Report($"batches of {batch}", i, test.Count);
        }

        double batchSeconds = Stopwatch.GetElapsedTime(start).TotalSeconds;
        int batchCorrect = Correct(classes, test.Labels);
        progress.Done();

        double accSingle = (double)singleCorrect / test.Count;
        double accBatch = (double)batchCorrect / test.Count;
        if (json)
        {
            Console.WriteLine(Json.Object(
            [
                ("weights", weights),
                ("network", network.ToString()),
                ("images", test.Count),
                ("accuracy_single", accSingle),
                ("accuracy_batched", accBatch),
                ("us_per_image_single", singleSeconds / test.Count * 1e6),
                ("us_per_image_batched", batchSeconds / test.Count * 1e6),
                ("images_per_second_single", test.Count / singleSeconds),
                ("images_per_second_batched", test.Count / batchSeconds),
                ("batch", batch),
                ("threads", threads),
                ("simd", SimdInfo.Path.ToString()),
            ]));
            return 0;
        }

        Console.WriteLine($"network   {network} ({Path.GetFileName(weights)})");
        Console.WriteLine($"images    {test.Count:N0} MNIST test images");
        Console.WriteLine($"simd      {SimdInfo.Describe()}");
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"one at a time   accuracy {accSingle:F4} ({singleCorrect:N0} correct)   {test.Count / singleSeconds,12:N0} images/s   {singleSeconds / test.Count * 1e6,7:F3} us/image"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"batches of {batch,-4} accuracy {accBatch:F4} ({batchCorrect:N0} correct)   {test.Count / batchSeconds,12:N0} images/s   {batchSeconds / test.Count * 1e6,7:F3} us/image   ({threads} thread{(threads == 1 ? "" : "s")})"));
        return 0;
    }

    private static int Correct(int[] predicted, byte[] labels)
    {
        int correct = 0;
        for (int i = 0; i < predicted.Length; i++)
        {
            correct += predicted[i] == labels[i] ? 1 : 0;
        }

        return correct;
    }
}
