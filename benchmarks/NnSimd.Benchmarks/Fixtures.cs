using NnSimd.Model;

namespace NnSimd.Benchmarks;

/// <summary>Inputs shaped like the book's: a 784-50-100-10 sigmoid network and [0, 1] images. Timing does not depend on the values.</summary>
internal static class Fixtures
{
    /// <summary>784 x 50 + 50 x 100 + 100 x 10.</summary>
    public const long MultiplyAddsPerImage = 45_200;

    public static Network MnistNetwork()
    {
        var rng = new Random(7);
        int[] widths = [784, 50, 100, 10];
        var layers = new DenseLayer[3];
        for (int i = 0; i < 3; i++)
        {
            float[] w = Enumerable.Range(0, widths[i] * widths[i + 1]).Select(_ => (float)(rng.NextDouble() - 0.5) * 0.2f).ToArray();
            float[] b = Enumerable.Range(0, widths[i + 1]).Select(_ => (float)(rng.NextDouble() - 0.5) * 0.1f).ToArray();
            layers[i] = new DenseLayer(w, b, widths[i], widths[i + 1], i == 2 ? Activation.Softmax : Activation.Sigmoid);
        }

        return new Network(layers);
    }

    /// <summary>The images as bytes (pixels): <see cref="Images"/> is these divided by 255.</summary>
    public static byte[] Pixels(int count)
    {
        var rng = new Random(3);
        return Enumerable.Range(0, count * 784).Select(_ => (byte)rng.Next(256)).ToArray();
    }

    public static float[] Images(int count) => Pixels(count).Select(p => p / 255f).ToArray();
}
