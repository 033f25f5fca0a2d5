using BenchmarkDotNet.Running;
using NnSimd.Benchmarks;

// dotnet run -c Release --project benchmarks/NnSimd.Benchmarks -- --filter '*Gemm*'
// dotnet run -c Release --project benchmarks/NnSimd.Benchmarks -- --int8-agreement [data folder]
if (args.Length is 1 or 2 && args[0] == Int8Agreement.Option)
{
    return Int8Agreement.Run(args.Length == 2 ? args[1] : null);
}

BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
return 0;
