using System.Diagnostics;
using NnSimd.IO;
using NnSimd.Model;

namespace NnSimd.AB;

/// <summary>
/// One side of an A/B comparison: the same seeded 784-50-100-10 sigmoid network (float32 and all-int8) over 10,000
/// images, random or MNIST's test set, built against one build of the library. The host calls it through reflection
/// once per timed pass, so the call costs nothing next to the pass.
/// </summary>
public static class Runner
{
    private const int Images = 10_000;
    private static Network? s_network;
    private static QuantizedNetwork? s_quantized;
    private static InferenceWorkspace? s_workspace;
    private static QuantizedWorkspace? s_quantizedWorkspace;
    private static byte[] s_pixels = [];
    private static float[] s_floats = [];
    private static readonly float[] Output = new float[Images * 10];

    /// <summary>What <see cref="Run"/> times: float32 fed bytes, float32 fed floats, all-int8 fed bytes.</summary>
    public static IReadOnlyList<string> Variants { get; } = ["fp32 bytes", "fp32 floats", "int8 bytes"];

    /// <summary>Builds the networks and the images: MNIST's test images from <paramref name="mnistImages"/> (an IDX file, gzipped or not), or random bytes.</summary>
    public static void Setup(string? mnistImages)
    {
        var rng = new Random(7);
        int[] widths = [784, 50, 100, 10];
        var layers = new DenseLayer[3];
        for (int i = 0; i < layers.Length; i++)
        {
            var w = new float[widths[i] * widths[i + 1]];
            for (int j = 0; j < w.Length; j++)
            {
                w[j] = (float)(rng.NextDouble() - 0.5) * 0.1f;
            }

            layers[i] = new DenseLayer(w, new float[widths[i + 1]], widths[i], widths[i + 1], i == 2 ? Activation.Softmax : Activation.Sigmoid);
        }

        s_network = new Network(layers);
        s_pixels = new byte[Images * 784];
        new Random(1).NextBytes(s_pixels);
        if (mnistImages is not null)
        {
            byte[] images = Idx.Read(mnistImages).Bytes ?? throw new InvalidDataException($"{mnistImages} does not hold bytes.");
            images.AsSpan(0, Math.Min(images.Length, s_pixels.Length)).CopyTo(s_pixels);
        }

        s_floats = Array.ConvertAll(s_pixels, p => p / 255f);
        s_quantized = s_network.Quantize(s_floats.AsSpan(0, 1000 * 784), smallestInt8Layer: 0);
        s_workspace = s_network.CreateWorkspace();
        s_quantizedWorkspace = s_quantized.CreateWorkspace();
    }

    /// <summary>One pass of <see cref="Variants"/>[<paramref name="variant"/>] over every image in batches of <paramref name="batch"/>; microseconds per image.</summary>
    public static double Run(int variant, int batch)
    {
        int rows = batch * 784;
        long start = Stopwatch.GetTimestamp();
        for (int i = 0; i < Images / batch; i++)
        {
            Span<float> output = Output.AsSpan(0, batch * 10);
            switch (variant)
            {
                case 0: s_network!.Predict(s_pixels.AsSpan(i * rows, rows), 255f, output, s_workspace!); break;
                case 1: s_network!.Predict(s_floats.AsSpan(i * rows, rows), output, s_workspace!); break;
                default: s_quantized!.Predict(s_pixels.AsSpan(i * rows, rows), 255f, output, s_quantizedWorkspace!); break;
            }
        }

        return Stopwatch.GetElapsedTime(start).TotalMicroseconds / Images;
    }
}
