using Xunit;
using Xunit.Abstractions;

namespace NnSimd.Tests;

/// <summary>
/// A knob that silently does nothing would let CI test one path four times. `.ci/run` sets
/// NNSIMD_EXPECT_SIMD to the path each run must take, and this test fails when another one was chosen.
/// </summary>
public class SimdPathTests(ITestOutputHelper output)
{
    [Fact]
    public void The_expected_path_was_taken()
    {
        output.WriteLine(SimdInfo.Describe());
        string? expected = Environment.GetEnvironmentVariable("NNSIMD_EXPECT_SIMD");
        if (expected is null)
        {
            Assert.Equal(SimdInfo.Hardware, SimdInfo.Path);
            return;
        }

        Assert.Equal(Enum.Parse<SimdPath>(expected, ignoreCase: true), SimdInfo.Path);
    }

    /// <summary>The same for the int8 kernels' strategy: NNSIMD_EXPECT_INT8 names the one each CI run must take.</summary>
    [Fact]
    public void The_expected_int8_strategy_was_taken()
    {
        output.WriteLine($"int8: {NnSimd.Kernels.Int8Gemm.Strategy}");
        string? expected = Environment.GetEnvironmentVariable("NNSIMD_EXPECT_INT8");
        if (expected is not null)
        {
            Assert.Equal(Enum.Parse<NnSimd.Kernels.Int8Strategy>(expected, ignoreCase: true), NnSimd.Kernels.Int8Gemm.Strategy);
        }
    }

    [Fact]
    public void A_request_can_only_lower_the_path()
    {
        Assert.Equal(SimdPath.Vector256, NnSimd.Internal.Simd.Choose(SimdPath.Vector512, "vector256"));
        Assert.Equal(SimdPath.Vector128, NnSimd.Internal.Simd.Choose(SimdPath.Vector128, "512"));
        Assert.Equal(SimdPath.Scalar, NnSimd.Internal.Simd.Choose(SimdPath.Vector512, " Scalar "));
        Assert.Equal(SimdPath.Vector512, NnSimd.Internal.Simd.Choose(SimdPath.Vector512, null));
        Assert.Throws<InvalidOperationException>(() => NnSimd.Internal.Simd.Choose(SimdPath.Vector512, "avx"));
    }
}
