using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using NnSimd.Kernels;
using NnSimd.Kernels.Reference;

namespace NnSimd.Tests.Kernels;

public class GemmProperties
{
    private static readonly Activation[] Continuous =
        [Activation.Identity, Activation.Sigmoid, Activation.Relu, Activation.Tanh];

    private static Gen<(int M, int K, int N, int Seed, Activation Act)> Problems() =>
        from m in Gen.Choose(1, 40)
        from k in Gen.Frequency((4, Gen.Choose(1, 600)), (1, Gen.Choose(1000, 1100)))
        from n in Gen.Choose(1, 70)
        from seed in Gen.Choose(0, int.MaxValue)
        from act in Gen.Elements(Continuous)
        select (m, k, n, seed, act);

    [Property(MaxTest = 60)]
    public Property Fused_gemm_matches_the_float64_reference_within_a_k_scaled_bound() =>
        Prop.ForAll(Problems().ToArbitrary(), p =>
        {
            var rng = new Random(p.Seed);
            float[] a = Numerics.Random(rng, p.M * p.K, 4f);
            float[] b = Numerics.Random(rng, p.K * p.N);
            float[] bias = Numerics.Random(rng, p.N);
            var c = new float[p.M * p.N];
            Gemm.Multiply(a, p.M, p.K, PackedMatrix.Pack(b, p.K, p.N), bias, p.Act, c);
            double[] expected = GemmReference.Multiply(a, p.M, p.K, b, p.N, bias, p.Act, out double[] magnitude);
            for (int i = 0; i < c.Length; i++)
            {
                double tol = GemmTests.Tolerance(p.K, magnitude[i], expected[i]);
                if (!(Math.Abs(c[i] - expected[i]) <= tol))
                {
                    return false.Label($"{p}: c[{i}] = {c[i]}, expected {expected[i]}, tolerance {tol:E2}");
                }
            }

            return true.ToProperty();
        });
}
