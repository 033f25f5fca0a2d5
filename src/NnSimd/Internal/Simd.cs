using System.Runtime.Intrinsics;

namespace NnSimd.Internal;

/// <summary>
/// Chooses the vector path once per process. The hardware sets the ceiling (and the runtime's
/// <c>DOTNET_EnableAVX512</c>, <c>DOTNET_EnableAVX2</c>, <c>DOTNET_EnableHWIntrinsic</c> knobs lower it);
/// <c>NNSIMD_SIMD</c> = scalar | vector128 | vector256 | vector512 lowers it further, so every path can be
/// run and compared on one machine.
/// </summary>
internal static class Simd
{
    public static readonly SimdPath Path = Choose(Hardware, Environment.GetEnvironmentVariable("NNSIMD_SIMD"));

    public static SimdPath Hardware =>
        Vector512.IsHardwareAccelerated ? SimdPath.Vector512 :
        Vector256.IsHardwareAccelerated ? SimdPath.Vector256 :
        Vector128.IsHardwareAccelerated ? SimdPath.Vector128 :
        SimdPath.Scalar;

    internal static SimdPath Choose(SimdPath hardware, string? request)
    {
        if (string.IsNullOrWhiteSpace(request))
        {
            return hardware;
        }

        SimdPath wanted = request.Trim().ToUpperInvariant() switch
        {
            "SCALAR" => SimdPath.Scalar,
            "VECTOR128" or "128" => SimdPath.Vector128,
            "VECTOR256" or "256" => SimdPath.Vector256,
            "VECTOR512" or "512" => SimdPath.Vector512,
            _ => throw new InvalidOperationException(
                $"NNSIMD_SIMD='{request}' is not one of scalar, vector128, vector256, vector512."),
        };
        // A request can only lower the path: asking for more than the hardware has is ignored.
        return wanted < hardware ? wanted : hardware;
    }

    /// <summary>Lanes of the chosen path: the panel width of packed weights.</summary>
    public static int Lanes => Path switch
    {
        SimdPath.Vector512 => 16,
        SimdPath.Vector256 => 8,
        SimdPath.Vector128 => 4,
        _ => 1,
    };
}
