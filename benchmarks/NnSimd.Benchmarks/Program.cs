using BenchmarkDotNet.Running;

// dotnet run -c Release --project benchmarks/NnSimd.Benchmarks -- --filter '*Gemm*'
BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
