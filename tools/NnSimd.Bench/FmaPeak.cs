using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace NnSimd.Bench;

/// <summary>
/// The machine's float32 FMA peak on one core, measured: twelve independent FMA chains (enough to cover
/// latency x throughput on current x86 cores) on the vectors of the path the kernels use, so '% of peak'
/// compares like with like.
/// </summary>
public static class FmaPeak
{
    /// <summary>GFLOP/s on one thread (an FMA counts as 2 FLOPs), best of a few short runs.</summary>
    public static double Measure(TimeSpan budget)
    {
        double best = 0;
        var total = Stopwatch.StartNew();
        while (total.Elapsed < budget)
        {
            const int iterations = 1_000_000;
            long start = Stopwatch.GetTimestamp();
            int lanes = Run(iterations);
            double seconds = Stopwatch.GetElapsedTime(start).TotalSeconds;
            best = Math.Max(best, 12.0 * 2 * lanes * iterations / seconds / 1e9);
        }

        return best;
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static int Run(int iterations)
    {
        if (SimdInfo.Path == SimdPath.Vector512)
        {
            return Run512(iterations);
        }

        if (SimdInfo.Path == SimdPath.Vector256)
        {
            return Run256(iterations);
        }

        if (SimdInfo.Path == SimdPath.Vector128)
        {
            return Run128(iterations);
        }

        return RunScalar(iterations);
    }

    private static int Run128(int iterations)
    {
        Vector128<float> m = Vector128.Create(0.999999f), a = Vector128.Create(1e-7f);
        Vector128<float> c0 = m, c1 = m, c2 = m, c3 = m, c4 = m, c5 = m, c6 = m, c7 = m, c8 = m, c9 = m, c10 = m, c11 = m;
        for (int i = 0; i < iterations; i++)
        {
            c0 = Internal.MulAdd(c0, m, a); c1 = Internal.MulAdd(c1, m, a); c2 = Internal.MulAdd(c2, m, a);
            c3 = Internal.MulAdd(c3, m, a); c4 = Internal.MulAdd(c4, m, a); c5 = Internal.MulAdd(c5, m, a);
            c6 = Internal.MulAdd(c6, m, a); c7 = Internal.MulAdd(c7, m, a); c8 = Internal.MulAdd(c8, m, a);
            c9 = Internal.MulAdd(c9, m, a); c10 = Internal.MulAdd(c10, m, a); c11 = Internal.MulAdd(c11, m, a);
        }

        Sink = (c0 + c1 + c2 + c3 + c4 + c5 + c6 + c7 + c8 + c9 + c10 + c11).GetElement(0);
        return Vector128<float>.Count;
    }

    /// <summary>A multiply-add the way the kernels do it on this path: fused only where the hardware fuses.</summary>
    private static class Internal
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Vector128<float> MulAdd(Vector128<float> a, Vector128<float> b, Vector128<float> c) =>
            System.Runtime.Intrinsics.X86.Fma.IsSupported ? System.Runtime.Intrinsics.X86.Fma.MultiplyAdd(a, b, c) : a * b + c;
    }

    private static int Run512(int iterations)
    {
        Vector512<float> m = Vector512.Create(0.999999f), a = Vector512.Create(1e-7f);
        Vector512<float> c0 = m, c1 = m, c2 = m, c3 = m, c4 = m, c5 = m, c6 = m, c7 = m, c8 = m, c9 = m, c10 = m, c11 = m;
        for (int i = 0; i < iterations; i++)
        {
            c0 = Vector512.FusedMultiplyAdd(c0, m, a); c1 = Vector512.FusedMultiplyAdd(c1, m, a);
            c2 = Vector512.FusedMultiplyAdd(c2, m, a); c3 = Vector512.FusedMultiplyAdd(c3, m, a);
            c4 = Vector512.FusedMultiplyAdd(c4, m, a); c5 = Vector512.FusedMultiplyAdd(c5, m, a);
            c6 = Vector512.FusedMultiplyAdd(c6, m, a); c7 = Vector512.FusedMultiplyAdd(c7, m, a);
            c8 = Vector512.FusedMultiplyAdd(c8, m, a); c9 = Vector512.FusedMultiplyAdd(c9, m, a);
            c10 = Vector512.FusedMultiplyAdd(c10, m, a); c11 = Vector512.FusedMultiplyAdd(c11, m, a);
        }

        Sink = (c0 + c1 + c2 + c3 + c4 + c5 + c6 + c7 + c8 + c9 + c10 + c11).GetElement(0);
        return Vector512<float>.Count;
    }

    private static int Run256(int iterations)
    {
        Vector256<float> m = Vector256.Create(0.999999f), a = Vector256.Create(1e-7f);
        Vector256<float> c0 = m, c1 = m, c2 = m, c3 = m, c4 = m, c5 = m, c6 = m, c7 = m, c8 = m, c9 = m, c10 = m, c11 = m;
        for (int i = 0; i < iterations; i++)
        {
            c0 = Vector256.FusedMultiplyAdd(c0, m, a); c1 = Vector256.FusedMultiplyAdd(c1, m, a);
            c2 = Vector256.FusedMultiplyAdd(c2, m, a); c3 = Vector256.FusedMultiplyAdd(c3, m, a);
            c4 = Vector256.FusedMultiplyAdd(c4, m, a); c5 = Vector256.FusedMultiplyAdd(c5, m, a);
            c6 = Vector256.FusedMultiplyAdd(c6, m, a); c7 = Vector256.FusedMultiplyAdd(c7, m, a);
            c8 = Vector256.FusedMultiplyAdd(c8, m, a); c9 = Vector256.FusedMultiplyAdd(c9, m, a);
            c10 = Vector256.FusedMultiplyAdd(c10, m, a); c11 = Vector256.FusedMultiplyAdd(c11, m, a);
        }

        Sink = (c0 + c1 + c2 + c3 + c4 + c5 + c6 + c7 + c8 + c9 + c10 + c11).GetElement(0);
        return Vector256<float>.Count;
    }

    private static int RunScalar(int iterations)
    {
        float m = 0.999999f, a = 1e-7f;
        float c0 = m, c1 = m, c2 = m, c3 = m, c4 = m, c5 = m, c6 = m, c7 = m, c8 = m, c9 = m, c10 = m, c11 = m;
        for (int i = 0; i < iterations; i++)
        {
            c0 = c0 * m + a; c1 = c1 * m + a; c2 = c2 * m + a; c3 = c3 * m + a; c4 = c4 * m + a; c5 = c5 * m + a;
            c6 = c6 * m + a; c7 = c7 * m + a; c8 = c8 * m + a; c9 = c9 * m + a; c10 = c10 * m + a; c11 = c11 * m + a;
        }

        Sink = c0 + c1 + c2 + c3 + c4 + c5 + c6 + c7 + c8 + c9 + c10 + c11;
        return 1;
    }

    /// <summary>Keeps the JIT from discarding the loops.</summary>
    public static float Sink { get; private set; }
}
