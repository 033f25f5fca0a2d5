using NnSimd.Fuzz;
using SharpFuzz;

// dotnet NnSimd.Fuzz.dll TARGET: the AFL++ harness for one parser (fuzz/run.sh starts it).
if (args.Length != 1 || !FuzzTargets.All.ContainsKey(args[0]))
{
    Console.Error.WriteLine($"usage: NnSimd.Fuzz TARGET, one of {string.Join(", ", FuzzTargets.All.Keys)}");
    return 2;
}

string target = args[0];
string scratch = Path.Combine(Environment.GetEnvironmentVariable("NNSIMD_FUZZ_SCRATCH") ?? Path.GetTempPath(), $"nnsimd-fuzz-{target}-{Environment.ProcessId}");
Fuzzer.OutOfProcess.Run(stream =>
{
    using var buffer = new MemoryStream();
    stream.CopyTo(buffer);
    FuzzTargets.Run(target, buffer.GetBuffer().AsSpan(0, (int)buffer.Length), scratch);
});
return 0;
