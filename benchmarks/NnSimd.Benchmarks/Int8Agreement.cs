using System.Globalization;
using Microsoft.ML.OnnxRuntime;
using NnSimd.IO;
using NnSimd.Model;

namespace NnSimd.Benchmarks;

/// <summary>
/// <c>-- --int8-agreement [data folder]</c>: the book's trained network (sample_weight.pkl) quantized to int8 on the
/// 10,000 MNIST test images, run by NnSimd and by ONNX Runtime on the model <see cref="OnnxModelWriter"/> writes for
/// it, over the test pixels. Prints the largest probability difference, the images apart by more than float32 noise or in class, and each
/// engine's accuracy, so that the int8 rows of <see cref="NetworkBenchmarks"/> are known to time one model. The
/// folder defaults to $NNSIMD_DATA.
/// </summary>
internal static class Int8Agreement
{
    public const string Option = "--int8-agreement";

    public static int Run(string? folder)
    {
        folder ??= Environment.GetEnvironmentVariable("NNSIMD_DATA");
        if (string.IsNullOrEmpty(folder))
        {
            Console.Error.WriteLine($"{Option} needs a folder holding sample_weight.pkl and MNIST: pass it, or set NNSIMD_DATA.");
            return 2;
        }

        Network network = ModelFile.Load(Path.Combine(folder, "sample_weight.pkl"), [Activation.Sigmoid, Activation.Sigmoid, Activation.Softmax]);
        MnistSet test = Mnist.Load(folder);
        QuantizedNetwork quantized = network.Quantize(test.Images());
        int n = test.Count;

        var fp32 = new float[n * 10];
        network.Predict(test.Pixels, 255f, fp32, network.CreateWorkspace());
        var nnsimd = new float[n * 10];
        quantized.Predict(test.Pixels, 255f, nnsimd, quantized.CreateWorkspace());
        var ort = new float[n * 10];
        using (var options = new SessionOptions { IntraOpNumThreads = 1, GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL })
        using (var session = new InferenceSession(OnnxModelWriter.Write(quantized, 255f), options))
        using (var input = OrtValue.CreateTensorValueFromMemory(OrtMemoryInfo.DefaultInstance, test.Pixels.AsMemory(), [n, 784]))
        using (var output = OrtValue.CreateTensorValueFromMemory(OrtMemoryInfo.DefaultInstance, ort.AsMemory(), [n, 10]))
        using (var runOptions = new RunOptions())
        {
            session.Run(runOptions, ["x"], [input], ["y"], [output]);
        }

        double worst = 0;
        for (int i = 0; i < ort.Length; i++)
        {
            worst = Math.Max(worst, Math.Abs(ort[i] - nnsimd[i]));
        }

        // Rows apart by more than float32 noise: where a hidden byte came out one step apart.
        int rowsApart = Enumerable.Range(0, n).Count(r => Enumerable.Range(r * 10, 10).Any(i => Math.Abs(ort[i] - nnsimd[i]) > 1e-5));
        int classesDiffer = Enumerable.Range(0, n).Count(r => ArgMax(ort, r) != ArgMax(nnsimd, r));
        Console.WriteLine(quantized.ToString());
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"largest probability difference, ONNX Runtime int8 vs NnSimd int8: {worst:G4}"));
        Console.WriteLine($"images with a probability more than 1e-5 apart: {rowsApart} of {n}; whose class differs: {classesDiffer}");
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"accuracy: NnSimd int8 {Accuracy(nnsimd, test.Labels):F4}, ONNX Runtime int8 {Accuracy(ort, test.Labels):F4}, NnSimd float32 {Accuracy(fp32, test.Labels):F4}"));
        return 0;
    }

    private static int ArgMax(float[] probabilities, int row)
    {
        ReadOnlySpan<float> p = probabilities.AsSpan(row * 10, 10);
        int best = 0;
        for (int j = 1; j < p.Length; j++)
        {
            if (p[j] > p[best])
            {
                best = j;
            }
        }

        return best;
    }

    private static double Accuracy(float[] probabilities, byte[] labels) =>
        (double)Enumerable.Range(0, labels.Length).Count(r => ArgMax(probabilities, r) == labels[r]) / labels.Length;
}
