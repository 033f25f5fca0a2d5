using NnSimd.Internal;

namespace NnSimd;

/// <summary>Which vector path the kernels run in this process, and why.</summary>
public static class SimdInfo
{
    /// <summary>The path every kernel uses (fixed at start-up).</summary>
    public static SimdPath Path => Simd.Path;

    /// <summary>The widest path the hardware and the runtime's <c>DOTNET_Enable*</c> settings allow.</summary>
    public static SimdPath Hardware => Simd.Hardware;

    /// <summary>Floats per vector on <see cref="Path"/>.</summary>
    public static int Lanes => Simd.Lanes;

    /// <summary>One line for logs and <c>nnsimd info</c>.</summary>
    public static string Describe() =>
        $"{Path} ({Lanes} lanes; hardware allows {Hardware}; NNSIMD_SIMD={Environment.GetEnvironmentVariable("NNSIMD_SIMD") ?? "unset"})";
}
