using FsCheck;
using FsCheck.Fluent;

namespace NnSimd.Tests;

/// <summary>
/// Float data that finds bugs: ordinary values, huge ones (|x| up to 3e38, where exp overflows), tiny and
/// subnormal ones, exact repeats (ties), all negative rows, and lengths 1..1000 that are rarely a multiple of
/// any vector width.
/// </summary>
internal static class Generators
{
    public static Gen<float> Value() =>
        Gen.Frequency(
            (6, Gen.Choose(-1_000_000, 1_000_000).Select(i => i / 10_000f)),
            (2, Gen.Choose(-88_000, 88_000).Select(i => i / 1000f)),
            (1, Gen.Elements(1e30f, -1e30f, 3e38f, -3e38f, 1000f, -1000f, 1e-30f, -1e-30f, 1e-45f, 0f, -0f)),
            (1, Gen.Choose(-1000, 1000).Select(i => i * 1e-38f)));

    public static Gen<int> Length(int max = 1000) =>
        Gen.Frequency((3, Gen.Choose(1, 40)), (2, Gen.Choose(1, max)));

    /// <summary>A row of finite floats: random values, a constant row, or a row of negatives.</summary>
    public static Gen<float[]> Row(int maxLength = 1000) =>
        Length(maxLength).SelectMany(n => Gen.Frequency(
            (8, Value().ArrayOf(n)),
            (1, Value().Select(v => Enumerable.Repeat(v, n).ToArray())),
            (1, Value().ArrayOf(n).Select(a => a.Select(v => -Math.Abs(v) - 1f).ToArray()))));

    /// <summary>A random matrix shape and its uniform [-1, 1] data.</summary>
    public static Gen<float[]> Uniform(int length) =>
        Gen.Choose(-1_000_000, 1_000_000).Select(i => i / 1_000_000f).ArrayOf(length);
}
