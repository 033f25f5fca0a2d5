namespace NnSimd.Kernels.Reference;

/// <summary>
/// e^x in float64, the oracle for the float32 exp (<see cref="ExpOp"/>) under sigmoid, tanh and softmax. Math.Exp
/// is within about 1 double ulp, 2^-29 of a float ulp, so the measured float32 error is the kernel's own. Its
/// float32 range: results overflow above ln(float.MaxValue) = 88.72284, are subnormal below
/// ln(2^-126) = -87.33655, and round to 0 below ln(2^-150) = -103.97208.
/// </summary>
internal static class ExpReference
{
    // x -> e^x, one element
    public static double Exp(double x) => Math.Exp(x);
}
