using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using System.Security.Cryptography;
using NnSimd.IO;
using NnSimd.Kernels;
using NnSimd.Model;
using NnSimd.Training;
using Xunit;

namespace NnSimd.Tests.Golden;

/// <summary>
/// Every kernel's output, bit for bit, as a SHA-256 per case and per SIMD configuration, recorded in
/// <c>golden-hashes.txt</c>. It holds the results still while the kernels are restructured: a change that moves one
/// bit of one output (a reordered sum, a different exp, a fused multiply-add that was not fused) fails here on the
/// path where it happened. The configuration is the path NnSimd chose plus the instruction sets the runtime exposes,
/// because the same path rounds differently with and without FMA.
/// To re-record after a deliberate numerical change: <c>NNSIMD_GOLDEN_RECORD=/tmp/golden.txt</c>, run this class on
/// each of <c>.ci/run</c>'s four paths, and replace the file with the union of the lines (the note says why).
/// </summary>
public class GoldenHashTests
{
    private static readonly Lazy<Dictionary<(string Configuration, string Case), string>> Golden = new(() =>
        File.ReadAllLines(Path.Combine(TestData.RepositoryRoot, "tests", "NnSimd.Tests", "Golden", "golden-hashes.txt"))
            .Where(l => l.Length > 0 && !l.StartsWith('#'))
            .Select(l => l.Split('\t'))
            .ToDictionary(p => (p[0], p[1]), p => p[2]));

    /// <summary>The chosen path and the ISAs that change how it rounds or which instructions it picks.</summary>
    internal static string Configuration =>
        $"{SimdInfo.Path} avx512f={Bit(Avx512F.IsSupported)} avx2={Bit(Avx2.IsSupported)} fma={Bit(Fma.IsSupported)} v512={Bit(Vector512.IsHardwareAccelerated)}";

    private static int Bit(bool b) => b ? 1 : 0;

    public static TheoryData<string> Cases => new(CaseNames);

    private static readonly string[] CaseNames =
        ["mnist-floats", "mnist-bytes", "gemm", "elementwise", "softmax", "losses", "backward", "training"];

    [Theory]
    [MemberData(nameof(Cases))]
    public void Outputs_are_bitwise_the_recorded_ones(string name)
    {
        var hash = new Hasher();
        Compute(name, hash);
        string actual = hash.Finish();
        string? record = Environment.GetEnvironmentVariable("NNSIMD_GOLDEN_RECORD");
        if (!string.IsNullOrEmpty(record))
        {
            lock (Golden)
            {
                File.AppendAllText(record, $"{Configuration}\t{name}\t{actual}\n");
            }

            return;
        }

        if (!Golden.Value.TryGetValue((Configuration, name), out string? expected))
        {
            // Recorded on x64 for .ci/run's four paths; elsewhere (Arm) there is nothing to hold the results to.
            Assert.False(RuntimeInformation.ProcessArchitecture == Architecture.X64,
                $"No golden hash for '{name}' on configuration '{Configuration}': record it (see the class comment).");
            return;
        }

        Assert.True(expected == actual, $"'{name}' on '{Configuration}': hash {actual}, recorded {expected}.");
    }

    private static void Compute(string name, Hasher h)
    {
        switch (name)
        {
            case "mnist-floats": MnistFloats(h); break;
            case "mnist-bytes": MnistBytes(h); break;
            case "gemm": GemmShapes(h); break;
            case "elementwise": Elementwise(h); break;
            case "softmax": SoftmaxRows(h); break;
            case "losses": LossValues(h); break;
            case "backward": Backward(h); break;
            case "training": Training(h); break;
            default: throw new ArgumentOutOfRangeException(nameof(name));
        }
    }

    private static readonly Lazy<(Network Network, MnistSet Set)> Book = new(() =>
        (ModelFile.Load(TestData.SampleWeights, [Activation.Sigmoid, Activation.Sigmoid, Activation.Softmax]), Mnist.Load(TestData.Directory)));

    private static void MnistFloats(Hasher h)
    {
        (Network net, MnistSet set) = Book.Value;
        const int rows = 1000;
        float[] x = set.Images(normalize: true).AsSpan(0, rows * 784).ToArray();
        var y = new float[rows * 10];
        foreach (NetworkOutput output in new[] { NetworkOutput.Probabilities, NetworkOutput.Scores })
        {
            foreach (int threads in new[] { 1, 2 })
            {
                net.Predict(x, y, net.CreateWorkspace(threads), output);
                h.Add(y);
            }
        }

        // Batch 1 for a few rows, and an odd batch whose rows straddle every tile size.
        net.Predict(x.AsSpan(0, 784), y.AsSpan(0, 10), net.CreateWorkspace(), NetworkOutput.Probabilities);
        h.Add(y.AsSpan(0, 10));
        net.Predict(x.AsSpan(0, 37 * 784), y.AsSpan(0, 370), net.CreateWorkspace(), NetworkOutput.Probabilities);
        h.Add(y.AsSpan(0, 370));
    }

    private static void MnistBytes(Hasher h)
    {
        (Network net, MnistSet set) = Book.Value;
        const int rows = 1000;
        ReadOnlySpan<byte> px = set.Pixels.AsSpan(0, rows * 784);
        var y = new float[rows * 10];
        net.Predict(px, 255f, y, net.CreateWorkspace(), NetworkOutput.Probabilities);
        h.Add(y);
        net.Predict(px, 255f, y, net.CreateWorkspace(2), NetworkOutput.Scores);
        h.Add(y);
        var classes = new int[rows];
        net.Classify(px, 255f, classes, net.CreateWorkspace());
        h.Add(MemoryMarshal.AsBytes(classes.AsSpan()));
    }

    private static readonly (int M, int K, int N)[] Shapes =
    [
        (1, 1, 1), (3, 5, 7), (1, 784, 50), (8, 784, 50), (100, 784, 50), (100, 50, 100), (100, 100, 10),
        (13, 17, 33), (9, 300, 129), (37, 2, 16), (5, 1000, 3), (21, 64, 48), (2, 513, 10), (11, 40, 31),
    ];

    private static void GemmShapes(Hasher h)
    {
        var rng = new Bits(1);
        foreach ((int m, int k, int n) in Shapes)
        {
            float[] a = rng.Floats(m * k, 1f);
            float[] b = rng.Floats(k * n, 2f / MathF.Sqrt(k));
            float[] bias = rng.Floats(n, 0.5f);
            PackedMatrix packed = PackedMatrix.Pack(b, k, n);
            var c = new float[m * n];
            foreach (Activation act in Enum.GetValues<Activation>())
            {
                Gemm.Multiply(a, m, k, packed, bias, act, c);
                h.Add(c);
                Gemm.Multiply(a, m, k, packed, [], act, c);
                h.Add(c);
            }

            Gemm.Multiply(a, m, k, b, n, c);
            h.Add(c);
        }
    }

    private static void Elementwise(Hasher h)
    {
        var rng = new Bits(2);
        for (int length = 0; length <= 70; length++)
        {
            float[] x = rng.Floats(length, 20f);
            var y = new float[length];
            foreach (Activation act in new[] { Activation.Identity, Activation.Step, Activation.Sigmoid, Activation.Relu, Activation.Tanh })
            {
                Activations.Apply(act, x, y);
                h.Add(y);
                if (act == Activation.Step)
                {
                    continue; // flat: it has no gradient to take
                }

                float[] dy = rng.Floats(length, 1f);
                var dz = new float[length];
                ActivationGradients.Backward(act, y, dy, dz);
                h.Add(dz);
            }

            byte[] px = rng.Bytes(length);
            ByteScaling.Divide(px, 255f, y);
            h.Add(y);
            ByteScaling.Divide(px, 3f, y);
            h.Add(y);
        }

        // Large magnitudes: overflow and underflow of exp inside sigmoid and tanh.
        float[] wide = rng.Floats(300, 120f);
        var out1 = new float[300];
        Activations.Sigmoid(wide, out1);
        h.Add(out1);
        Activations.Tanh(wide, out1);
        h.Add(out1);
    }

    private static void SoftmaxRows(Hasher h)
    {
        var rng = new Bits(3);
        foreach (int cols in new[] { 1, 2, 3, 10, 15, 16, 17, 31, 100, 1000 })
        {
            foreach (int rows in new[] { 1, 5, 9 })
            {
                float[] x = rng.Floats(rows * cols, 30f);
                var y = new float[rows * cols];
                Softmax.Rows(x, cols, y);
                h.Add(y);
                Softmax.LogRows(x, cols, y);
                h.Add(y);
                var arg = new int[rows];
                Softmax.ArgMaxRows(x, cols, arg);
                h.Add(MemoryMarshal.AsBytes(arg.AsSpan()));
            }
        }
    }

    private static void LossValues(Hasher h)
    {
        var rng = new Bits(4);
        foreach ((int rows, int cols) in new[] { (1, 10), (7, 10), (100, 10), (5, 3), (3, 17) })
        {
            float[] y = rng.Floats(rows * cols, 5f);
            float[] t = new float[rows * cols];
            byte[] labels = rng.Bytes(rows).Select(b => (byte)(b % cols)).ToArray();
            for (int r = 0; r < rows; r++)
            {
                t[(r * cols) + labels[r]] = 1f;
            }

            var grad = new float[rows * cols];
            h.Add([Losses.MeanSquaredError(y, t, cols, grad)]);
            h.Add(grad);
            h.Add([Losses.SoftmaxCrossEntropy(y, labels, cols, grad)]);
            h.Add(grad);
            h.Add([Losses.SoftmaxCrossEntropy(y, t, cols, grad)]);
            h.Add(grad);
        }
    }

    private static void Backward(Hasher h)
    {
        var rng = new Bits(5);
        foreach ((int m, int k, int n) in Shapes)
        {
            float[] x = rng.Floats(m * k, 1f);
            float[] dz = rng.Floats(m * n, 1f);
            var dw = new float[k * n];
            GemmBackward.TransposeMultiply(x, m, k, dz, n, dw);
            h.Add(dw);
            var db = new float[n];
            GemmBackward.ColumnSums(dz, m, n, db);
            h.Add(db);
        }
    }

    private static void Training(Hasher h)
    {
        var rng = new Bits(6);
        byte[] px = rng.Bytes(96 * 64);
        byte[] labels = rng.Bytes(96).Select(b => (byte)(b % 10)).ToArray();
        foreach ((Activation hidden, Loss loss, int threads, float momentum) in new[]
        {
            (Activation.Sigmoid, Loss.CrossEntropy, 1, 0.9f),
            (Activation.Relu, Loss.CrossEntropy, 2, 0f),
            (Activation.Tanh, Loss.MeanSquaredError, 1, 0.5f),
        })
        {
            var trainer = new Trainer([64, 24, 17, 10], hidden, new TrainerOptions
            {
                BatchSize = 16,
                Seed = 7,
                Momentum = momentum,
                Loss = loss,
                Threads = threads,
                Schedule = new LearningRateSchedule.Constant(0.2f),
            });
            for (int e = 0; e < 2; e++)
            {
                h.Add([trainer.TrainEpoch(px, 255f, labels).Loss]);
            }

            for (int layer = 0; layer < 3; layer++)
            {
                h.Add(trainer.GetWeights(layer));
                h.Add(trainer.Biases(layer));
            }

            var probs = new float[96 * 10];
            Network net = trainer.ToNetwork();
            net.Predict(px, 255f, probs, net.CreateWorkspace(), NetworkOutput.Probabilities);
            h.Add(probs);
        }
    }

    /// <summary>SHA-256 over the exact bytes of every output, in order.</summary>
    private sealed class Hasher
    {
        private readonly IncrementalHash _hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);

        public void Add(ReadOnlySpan<float> values) => _hash.AppendData(MemoryMarshal.AsBytes(values));

        public void Add(ReadOnlySpan<byte> bytes) => _hash.AppendData(bytes);

        public string Finish() => Convert.ToHexStringLower(_hash.GetHashAndReset());
    }

    /// <summary>splitmix64: the same numbers on every runtime, unlike <see cref="Random"/>'s unspecified algorithm.</summary>
    private sealed class Bits(ulong seed)
    {
        private ulong _state = seed;

        private ulong Next()
        {
            ulong z = _state += 0x9E3779B97F4A7C15UL;
            z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
            z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
            return z ^ (z >> 31);
        }

        /// <summary>Uniform in [-scale, scale).</summary>
        public float[] Floats(int count, float scale)
        {
            var x = new float[count];
            for (int i = 0; i < count; i++)
            {
                x[i] = (float)((((Next() >> 11) * (1.0 / (1UL << 53))) * 2) - 1) * scale;
            }

            return x;
        }

        public byte[] Bytes(int count)
        {
            var x = new byte[count];
            for (int i = 0; i < count; i++)
            {
                x[i] = (byte)Next();
            }

            return x;
        }
    }
}
