using System.Numerics.Tensors;
using BenchmarkDotNet.Attributes;
using NnSimd.Kernels;

namespace NnSimd.Benchmarks;

/// <summary>Sigmoid and softmax: a naive loop (each group's baseline), TensorPrimitives, and NnSimd.</summary>
[MemoryDiagnoser]
[GroupBenchmarksBy(BenchmarkDotNet.Configs.BenchmarkLogicalGroupRule.ByCategory)]
[CategoriesColumn]
public class ActivationBenchmarks
{
    private float[] _x = [];
    private float[] _y = [];

    [Params(5000, 100_000)]
    public int Length { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var rng = new Random(1);
        _x = Enumerable.Range(0, Length).Select(_ => (float)(rng.NextDouble() * 20 - 10)).ToArray();
        _y = new float[Length];
    }

    [Benchmark(Baseline = true)]
    [BenchmarkCategory("Sigmoid")]
    public void SigmoidNaive() => NaiveKernels.Sigmoid(_x, _y);

    [Benchmark]
    [BenchmarkCategory("Sigmoid")]
    public void SigmoidTensorPrimitives() => TensorPrimitives.Sigmoid(_x, _y);

    [Benchmark]
    [BenchmarkCategory("Sigmoid")]
    public void SigmoidNnSimd() => Activations.Sigmoid(_x, _y);

    [Benchmark(Baseline = true)]
    [BenchmarkCategory("Softmax rows of 10")]
    public void SoftmaxRowsOf10Naive() => NaiveKernels.SoftmaxRows(_x, _y, 10);

    [Benchmark]
    [BenchmarkCategory("Softmax rows of 10")]
    public void SoftmaxRowsOf10TensorPrimitives()
    {
        for (int i = 0; i + 10 <= _x.Length; i += 10)
        {
            TensorPrimitives.SoftMax(_x.AsSpan(i, 10), _y.AsSpan(i, 10));
        }
    }

    [Benchmark]
    [BenchmarkCategory("Softmax rows of 10")]
    public void SoftmaxRowsOf10NnSimd() => Softmax.Rows(_x, 10, _y);
}
