using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using NnSimd.Cli.Checks;
using NnSimd.Data;
using NnSimd.IO;
using NnSimd.Model;

namespace NnSimd.Cli.Commands;

/// <summary>
/// <c>nnsimd mnist</c>: the book's experiment. Classifies the 10,000 MNIST test images one at a time and in
/// batches and prints the accuracy both ways (0.9352 with the book's weights) and the speed of each. With
/// <c>--int8</c> (or an int8 model file) it does the same with the int8 network, checks that one at a time and in
/// batches give bitwise the same probabilities, and measures how far they are from float32's.
/// </summary>
internal static class MnistCommand
{
    public static Command Create()
    {
        var data = CommonOptions.Data();
        var offline = CommonOptions.Offline();
        var weights = CommonOptions.InputFile("--weights", "A model: .safetensors (float32 or int8, as nnsimd quantize writes), .pt, .pkl or .npz (default: the book's sample_weight.pkl in the data directory).", required: false);
        var activations = new Option<string?>("--activations") { Description = "One per layer, e.g. sigmoid,sigmoid,softmax: required for a PyTorch file, which holds none." };
        var batch = CommonOptions.Int("--batch", 100, 1, 10_000, "Images per call in the batched pass.");
        var threads = CommonOptions.Threads("Threads for the batched passes, float32 and int8.");
        var int8 = new Option<bool>("--int8")
        {
            Description = "Also quantize the network to int8 (calibrated on the 10,000 test images / 255, unless --calibration) and report its accuracy one at a time and "
                + "in batches, and the largest probability difference from float32. Implied by an int8 model file.",
        };
        var calibration = CommonOptions.InputFile("--calibration", "With --int8, r" + Calibration.OptionHelp[1..].Replace("Default for a 784-input model: the 10,000 MNIST test images", "Default: the 10,000 MNIST test images", StringComparison.Ordinal), required: false);
        var json = CommonOptions.Json();
        var command = new Command("mnist", "Classify the MNIST test set one image at a time and in batches; print accuracy and speed (float32, and int8 with --int8).")
        {
            data, offline, weights, activations, batch, threads, int8, calibration, json,
        };
        FileChecks.Add(command, [weights, calibration]);
        command.SetAction(r => Cli.Guarded(() => Run(
            DataDirectory.Resolve(r.GetValue(data), r.GetValue(offline)), r.GetValue(weights), r.GetValue(activations), r.GetValue(batch), r.GetValue(threads),
            r.GetValue(int8), r.GetValue(calibration), r.GetValue(json))));
        return command;
    }

    private delegate void ClassifyRows(int first, int count, Span<int> classes);

    private static int Run(DataDirectory data, string? weightsPath, string? activations, int batch, int threads, bool int8, string? calibrationPath, bool json)
    {
        Action<string> log = json ? _ => { } : m => Console.Error.WriteLine(m);
        string weights = weightsPath ?? data.Get(KnownFiles.SampleWeights, log);
        bool int8File = ModelLoader.IsInt8(weights);
        if (int8File && (activations is not null || calibrationPath is not null))
        {
            return Cli.Fail($"{(activations is not null ? "--activations" : "--calibration")}: {weights} is an int8 model, already quantized, which names its own activations.");
        }

        if (calibrationPath is not null && !int8)
        {
            return Cli.Fail("--calibration is for --int8: give both, or neither.");
        }

        Network? network = int8File ? null : ModelLoader.Load(weights, activations);
        QuantizedNetwork? quantized = int8File ? ModelFile.LoadQuantized(weights) : null;
        int inputs = network?.Inputs ?? quantized!.Inputs;
        MnistSet test = Mnist.Load(data.Get(KnownFiles.TestImages, log), data.Get(KnownFiles.TestLabels, log));
        if (inputs != test.PixelsPerImage)
        {
            return Cli.Fail($"{weights}: the network takes {inputs} inputs but the images have {test.PixelsPerImage} pixels.");
        }

        string? calibrated = null;
        if (network is not null && int8)
        {
            (float[] rows, string source) = calibrationPath is null
                ? (test.Images(), $"the {test.Count:N0} MNIST test images / 255")
                : Calibration.Load(calibrationPath, weights, inputs, () => data, log);
            quantized = Calibration.Quantize(network, rows, source);
            calibrated = source;
        }

        using var progress = new ProgressLine("mnist", json);
        int px = test.PixelsPerImage;
        var classes = new int[test.Count];
        Pass? single = null, batched = null, single8 = null, batched8 = null;
        if (network is not null)
        {
            InferenceWorkspace one = network.CreateWorkspace();
            InferenceWorkspace many = network.CreateWorkspace(threads);
            single = new Pass("one at a time", 1, (i, n, c) => network.Classify(test.Pixels.AsSpan(i * px, n * px), 255f, c, one));
            batched = new Pass($"batches of {batch}", batch, (i, n, c) => network.Classify(test.Pixels.AsSpan(i * px, n * px), 255f, c, many));
        }

        if (quantized is not null)
        {
            QuantizedWorkspace one = quantized.CreateWorkspace();
            QuantizedWorkspace many = quantized.CreateWorkspace(threads);
            single8 = new Pass("int8 one at a time", 1, (i, n, c) => quantized.Classify(test.Pixels.AsSpan(i * px, n * px), 255f, c, one));
            batched8 = new Pass($"int8 batches of {batch}", batch, (i, n, c) => quantized.Classify(test.Pixels.AsSpan(i * px, n * px), 255f, c, many));
        }

        Pass[] passes = [.. new[] { single, batched, single8, batched8 }.OfType<Pass>()];

        // Warm-up, untimed, for a fixed 0.2 s: the first calls include the kernels' JIT compilation, and a core
        // that was idle runs the first milliseconds slowly; either would dominate a 10,000-image run.
        int warm = Math.Min(test.Count, batch);
        var clock = Stopwatch.StartNew();
        while (clock.ElapsedMilliseconds < 200)
        {
            foreach (Pass pass in passes)
            {
                pass.WarmUp(warm, classes);
            }
        }

        // One image at a time, as the book's first loop; in batches, as its second.
        foreach (Pass pass in passes)
        {
            pass.Run(test, classes, progress);
        }

        Int8Check? check = quantized is null ? null : Compare(quantized, network, test, batch, threads);
        progress.Done();

        if (json)
        {
            var pairs = new List<(string, object)> { ("weights", weights), ("network", network?.ToString() ?? quantized!.ToString()), ("images", test.Count) };
            if (single is not null && batched is not null)
            {
                pairs.AddRange(
                [
                    ("accuracy_single", single.Accuracy),
                    ("accuracy_batched", batched.Accuracy),
                    ("us_per_image_single", single.MicrosPerImage),
                    ("us_per_image_batched", batched.MicrosPerImage),
                    ("images_per_second_single", single.ImagesPerSecond),
                    ("images_per_second_batched", batched.ImagesPerSecond),
                ]);
            }

            if (single8 is not null && batched8 is not null && check is not null)
            {
                pairs.AddRange(
                [
                    ("int8_network", quantized!.ToString()),
                    ("int8_calibration", calibrated ?? $"none here: {weights} is an int8 model"),
                    ("int8_accuracy_single", single8.Accuracy),
                    ("int8_accuracy_batched", batched8.Accuracy),
                    ("int8_us_per_image_single", single8.MicrosPerImage),
                    ("int8_us_per_image_batched", batched8.MicrosPerImage),
                    ("int8_images_per_second_single", single8.ImagesPerSecond),
                    ("int8_images_per_second_batched", batched8.ImagesPerSecond),
                    ("int8_threads", threads),
                    ("int8_single_equals_batched", check.SingleEqualsBatched),
                ]);
                if (check.MaxDifference is { } difference)
                {
                    pairs.Add(("int8_max_probability_difference", difference));
                    pairs.Add(("int8_same_class_as_fp32", check.SameClass));
                }
            }

            pairs.AddRange([("batch", batch), ("threads", threads), ("simd", SimdInfo.Path.ToString())]);
            Console.WriteLine(Json.Object(pairs));
        }
        else
        {
            Console.WriteLine($"network   {network?.ToString() ?? quantized!.ToString()} ({Path.GetFileName(weights)})");
            if (network is not null && quantized is not null)
            {
                Console.WriteLine($"int8      {quantized} (calibrated on {calibrated})");
            }

            Console.WriteLine($"images    {test.Count:N0} MNIST test images");
            Console.WriteLine($"simd      {SimdInfo.Describe()}");
            single?.Print("");
            batched?.Print($"   ({threads} thread{(threads == 1 ? "" : "s")})");
            single8?.Print("");
            batched8?.Print($"   ({threads} thread{(threads == 1 ? "" : "s")})");
            if (check is not null)
            {
                string same = check.SingleEqualsBatched ? "bitwise the same" : "DIFFERENT";
                Console.WriteLine(check.MaxDifference is { } difference
                    ? string.Create(CultureInfo.InvariantCulture,
                        $"int8 vs fp32    largest probability difference {difference:F4}; same class for {check.SameClass:N0} of {test.Count:N0} images; int8 one at a time and batched: {same}")
                    : $"int8            one at a time and batched: {same}; no float32 model to compare with ({Path.GetFileName(weights)} is int8)");
            }
        }

        return check is { SingleEqualsBatched: false }
            ? Cli.Fail("the int8 network gave different probabilities one at a time and in batches; it must not.")
            : 0;
    }

    /// <summary>
    /// The int8 probabilities one image at a time and in batches (which must be bitwise the same), and, with a float32
    /// network, the largest difference from its probabilities and how many images get the same class.
    /// </summary>
    private static Int8Check Compare(QuantizedNetwork quantized, Network? network, MnistSet test, int batch, int threads)
    {
        int px = test.PixelsPerImage, outputs = quantized.Outputs;
        var single = new float[test.Count * outputs];
        var batched = new float[single.Length];
        QuantizedWorkspace workspace = quantized.CreateWorkspace();
        for (int i = 0; i < test.Count; i++)
        {
            quantized.Predict(test.Pixels.AsSpan(i * px, px), 255f, single.AsSpan(i * outputs, outputs), workspace);
        }

        for (int i = 0; i < test.Count; i += batch)
        {
            int n = Math.Min(batch, test.Count - i);
            quantized.Predict(test.Pixels.AsSpan(i * px, n * px), 255f, batched.AsSpan(i * outputs, n * outputs), workspace);
        }

        bool same = MemoryMarshal.AsBytes(single.AsSpan()).SequenceEqual(MemoryMarshal.AsBytes(batched.AsSpan()));
        if (network is null)
        {
            return new Int8Check(same, null, 0);
        }

        var reference = new float[single.Length];
        network.Predict(test.Pixels, 255f, reference, network.CreateWorkspace(threads));
        double worst = 0;
        int sameClass = 0;
        for (int r = 0; r < test.Count; r++)
        {
            Span<float> a = batched.AsSpan(r * outputs, outputs), b = reference.AsSpan(r * outputs, outputs);
            for (int j = 0; j < outputs; j++)
            {
                worst = Math.Max(worst, Math.Abs(a[j] - b[j]));
            }

            sameClass += ArgMax(a) == ArgMax(b) ? 1 : 0;
        }

        return new Int8Check(same, worst, sameClass);
    }

    private static int ArgMax(ReadOnlySpan<float> row)
    {
        int best = 0;
        for (int j = 1; j < row.Length; j++)
        {
            best = row[j] > row[best] ? j : best;
        }

        return best;
    }

    private sealed record Int8Check(bool SingleEqualsBatched, double? MaxDifference, int SameClass);

    /// <summary>One timed pass over the test set: a label, the images per call, and the call.</summary>
    private sealed class Pass(string label, int batch, ClassifyRows classify)
    {
        private double _seconds;
        private int _correct;
        private int _count;

        public double Accuracy => (double)_correct / _count;

        public double MicrosPerImage => _seconds / _count * 1e6;

        public double ImagesPerSecond => _count / _seconds;

        /// <summary>Untimed calls: 64 images one at a time for a single-image pass, one call of <paramref name="warm"/> images otherwise.</summary>
        public void WarmUp(int warm, int[] classes)
        {
            if (batch == 1)
            {
                for (int i = 0; i < 64; i++)
                {
                    classify(i, 1, classes.AsSpan(i, 1));
                }
            }
            else
            {
                classify(0, warm, classes.AsSpan(0, warm));
            }
        }

        public void Run(MnistSet test, int[] classes, ProgressLine progress)
        {
            Array.Clear(classes);
            long start = Stopwatch.GetTimestamp();
            for (int i = 0; i < test.Count; i += batch)
            {
                int n = Math.Min(batch, test.Count - i);
                classify(i, n, classes.AsSpan(i, n));
                if (batch > 1 || (i & 1023) == 0)
                {
                    progress.Report(label, i, test.Count);
                }
            }

            _seconds = Stopwatch.GetElapsedTime(start).TotalSeconds;
            _count = test.Count;
            _correct = Correct(classes, test.Labels);
        }

        public void Print(string suffix)
        {
            // "batches of 100  accuracy", as before int8 came; the int8 lines are five wider ("int8 ").
            string head = (batch == 1 ? label : $"{label[..^batch.ToString(CultureInfo.InvariantCulture).Length]}{batch,-4}")
                .PadRight(label.StartsWith("int8 ", StringComparison.Ordinal) ? 20 : 15);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{head} accuracy {Accuracy:F4} ({_correct:N0} correct)   {ImagesPerSecond,12:N0} images/s   {MicrosPerImage,7:F3} us/image{suffix}"));
        }
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
