using BenchmarkDotNet.Attributes;
using NnSimd.Kernels;

namespace NnSimd.Benchmarks;

/// <summary>C = A . B at the MNIST network's shapes (m x k x n): naive triple loop against the packed, tiled GEMM, plain and with bias and sigmoid fused.</summary>
[MemoryDiagnoser]
[Config(typeof(ThroughputConfig))]
public class GemmBenchmarks
{
    private float[] _a = [];
    private float[] _b = [];
    private float[] _c = [];
    private float[] _bias = [];
    private PackedMatrix _packed = null!;

    [Params("100x784x50", "100x50x100", "100x100x10", "10000x784x50", "1x784x50")]
    public string Shape { get; set; } = "100x784x50";

    private int M { get; set; }
    private int K { get; set; }
    private int N { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        int[] mkn = Shape.Split('x').Select(s => int.Parse(s, System.Globalization.CultureInfo.InvariantCulture)).ToArray();
        (M, K, N) = (mkn[0], mkn[1], mkn[2]);
        var rng = new Random(42);
        _a = Enumerable.Range(0, M * K).Select(_ => (float)rng.NextDouble()).ToArray();
        _b = Enumerable.Range(0, K * N).Select(_ => (float)rng.NextDouble() - 0.5f).ToArray();
        _bias = new float[N];
        _c = new float[M * N];
        _packed = PackedMatrix.Pack(_b, K, N);
    }

    [Benchmark(Baseline = true)]
    public void Naive() => NaiveKernels.Gemm(_a, _b, _c, M, K, N);

    [Benchmark]
    public void NnSimd() => Gemm.Multiply(_a, M, K, _packed, [], Activation.Identity, _c);

    [Benchmark]
    public void NnSimdBiasSigmoid() => Gemm.Multiply(_a, M, K, _packed, _bias, Activation.Sigmoid, _c);
}
