using System.Globalization;
using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;
using NnSimd.Bench;

namespace NnSimd.Benchmarks;

/// <summary>
/// GFLOP/s (from the median) and its share of this core's FMA peak, which <see cref="FmaPeak"/> measures once in
/// the host process on the SIMD path the kernels run (same environment as the benchmark processes). FLOPs per
/// operation: 2 m k n for a GEMM shape, 2 x 45,200 x 10,000 for the network over the test set. None for the
/// int8 network's rows: their multiply-adds are integer, and the float FMA peak is no measure of them.
/// </summary>
internal sealed class GflopsColumn(bool share) : IColumn
{
    private static readonly Lazy<double> Peak = new(() => FmaPeak.Measure(TimeSpan.FromSeconds(2)));

    public string Id => share ? "PercentOfPeak" : "Gflops";
    public string ColumnName => share ? "% of peak" : "GFLOP/s";
    public bool AlwaysShow => true;
    public ColumnCategory Category => ColumnCategory.Custom;
    public int PriorityInCategory => share ? 1 : 0;
    public bool IsNumeric => true;
    public UnitType UnitType => UnitType.Dimensionless;
    public string Legend => share
        ? $"GFLOP/s as a share of one core's measured FMA peak ({Peak.Value:F0} GFLOP/s on {SimdInfo.Path})"
        : "Floating-point operations per second (an FMA counts 2), from the median";

    public bool IsDefault(Summary summary, BenchmarkCase benchmarkCase) => false;
    public bool IsAvailable(Summary summary) => true;
    public string GetValue(Summary summary, BenchmarkCase benchmarkCase) => GetValue(summary, benchmarkCase, SummaryStyle.Default);

    public string GetValue(Summary summary, BenchmarkCase benchmarkCase, SummaryStyle style)
    {
        double? medianNs = summary[benchmarkCase]?.ResultStatistics?.Median;
        double flops = Flops(benchmarkCase);
        if (medianNs is not > 0 || flops <= 0)
        {
            return "-";
        }

        double gflops = flops / medianNs.Value;
        // A network call over 2 threads has twice one core's peak to reach.
        int threads = benchmarkCase.Parameters.Items.FirstOrDefault(p => p.Name == "Threads")?.Value is int t ? t : 1;
        return share
            ? (100 * gflops / (Peak.Value * threads)).ToString("F0", CultureInfo.InvariantCulture) + "%"
            : gflops.ToString("F1", CultureInfo.InvariantCulture);
    }

    private static double Flops(BenchmarkCase benchmarkCase)
    {
        if (benchmarkCase.Parameters.Items.FirstOrDefault(p => p.Name == "Shape")?.Value is string shape)
        {
            long[] mkn = shape.Split('x').Select(s => long.Parse(s, CultureInfo.InvariantCulture)).ToArray();
            return 2.0 * mkn[0] * mkn[1] * mkn[2];
        }

        return benchmarkCase.Descriptor.Type == typeof(NetworkBenchmarks) && !benchmarkCase.Descriptor.WorkloadMethod.Name.EndsWith("Int8", StringComparison.Ordinal)
            ? 2.0 * Fixtures.MultiplyAddsPerImage * NetworkBenchmarks.Images
            : 0;
    }
}

/// <summary>The default columns plus the median (always: the figures quoted are medians), GFLOP/s and % of peak.</summary>
internal sealed class ThroughputConfig : ManualConfig
{
    public ThroughputConfig()
    {
        AddColumn(StatisticColumn.Median, new GflopsColumn(share: false), new GflopsColumn(share: true));
    }
}
