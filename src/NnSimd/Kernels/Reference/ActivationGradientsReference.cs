namespace NnSimd.Kernels.Reference;

/// <summary>
/// dz = dy f'(z) in float64, written with the saved output y = f(z) as <see cref="ActivationGradients"/> takes it:
/// the textbook identities sigmoid' = y (1 - y), tanh' = 1 - y^2, relu' = 1 where y &gt; 0 (0 at the kink).
/// </summary>
internal static class ActivationGradientsReference
{
    // y, dy -> dz, one element
    public static double Backward(Activation activation, double y, double dy) => activation switch
    {
        Activation.Identity => dy,
        Activation.Sigmoid => dy * y * (1 - y),
        Activation.Relu => y > 0 ? dy : 0,
        Activation.Tanh => dy * (1 - (y * y)),
        _ => throw new ArgumentOutOfRangeException(nameof(activation), activation, "No element-wise gradient."),
    };
}
