using System.Reflection;
using System.Runtime.Loader;

// Two builds of the library compared in one process: each directory holds NnSimd.AB.Runner built against one build,
// loaded into its own AssemblyLoadContext, and the two are timed in alternation, the order reversed every round, so a
// slow phase of a shared machine slows both alike. Usage: NnSimd.AB OLD_DIR NEW_DIR [--mnist IMAGES] [--rounds N]
// [--batches 1,100]. Prints the median of the rounds after the first third (the JIT's tiers settled) and new / old.
if (args.Length < 2)
{
    Console.Error.WriteLine("usage: NnSimd.AB OLD_DIR NEW_DIR [--mnist IMAGES] [--rounds N] [--batches 1,100]");
    return 2;
}

string? mnist = Option("--mnist");
int rounds = int.Parse(Option("--rounds") ?? "30", System.Globalization.CultureInfo.InvariantCulture);
int[] batches = (Option("--batches") ?? "1,100").Split(',').Select(b => int.Parse(b, System.Globalization.CultureInfo.InvariantCulture)).ToArray();
var sides = new (string Label, Func<int, int, double> Run)[2];
IReadOnlyList<string> variants = [];
for (int side = 0; side < 2; side++)
{
    string runner = Path.GetFullPath(Path.Combine(args[side], "NnSimd.AB.Runner.dll"));
    var context = new RunnerContext(runner);
    Type type = context.LoadFromAssemblyPath(runner).GetType("NnSimd.AB.Runner", throwOnError: true)!;
    type.GetMethod("Setup")!.Invoke(null, [mnist]);
    variants = (IReadOnlyList<string>)type.GetProperty("Variants")!.GetValue(null)!;
    sides[side] = (side == 0 ? "old" : "new", type.GetMethod("Run")!.CreateDelegate<Func<int, int, double>>());
}

var times = new Dictionary<(int Batch, int Variant, int Side), List<double>>();
for (int round = 0; round < rounds; round++)
{
    foreach (int batch in batches)
    {
        for (int variant = 0; variant < variants.Count; variant++)
        {
            for (int turn = 0; turn < 2; turn++)
            {
                int side = (round + turn) % 2;
                double us = sides[side].Run(variant, batch);
                if (round >= rounds / 3)
                {
                    (times.TryGetValue((batch, variant, side), out List<double>? list) ? list : times[(batch, variant, side)] = []).Add(us);
                }
            }
        }
    }
}

Console.WriteLine($"{(mnist is null ? "random bytes" : mnist)}, medians of rounds {(rounds / 3) + 1}-{rounds}, us per image");
foreach (int batch in batches)
{
    for (int variant = 0; variant < variants.Count; variant++)
    {
        double old = Median(times[(batch, variant, 0)]), now = Median(times[(batch, variant, 1)]);
        Console.WriteLine($"{variants[variant],-12} batch {batch,-6} old {old,7:F3}  new {now,7:F3}  new/old {now / old:F3}");
    }
}

return 0;

string? Option(string name)
{
    int i = Array.IndexOf(args, name);
    return i >= 0 && i + 1 < args.Length ? args[i + 1] : null;
}

static double Median(List<double> values)
{
    double[] sorted = [.. values.Order()];
    return sorted[sorted.Length / 2];
}

/// <summary>A load context that resolves a runner's dependencies (its own NnSimd.dll) from the runner's directory.</summary>
internal sealed class RunnerContext(string runnerPath) : AssemblyLoadContext(isCollectible: false)
{
    private readonly AssemblyDependencyResolver _resolver = new(runnerPath);

    protected override Assembly? Load(AssemblyName assemblyName) =>
        _resolver.ResolveAssemblyToPath(assemblyName) is { } path ? LoadFromAssemblyPath(path) : null;
}
