namespace NnSimd.Kernels.Reference;

/// <summary>The plain float64 definitions the activation kernels are tested against.</summary>
internal static class ActivationsReference
{
    public static double Apply(Activation activation, double x) => activation switch
    {
        Activation.Identity => x,
        Activation.Step => double.IsNaN(x) ? x : x > 0 ? 1 : 0,
        Activation.Sigmoid => 1 / (1 + Math.Exp(-x)),
        Activation.Relu => double.IsNaN(x) ? x : Math.Max(x, 0),
        Activation.Tanh => Math.Tanh(x),
        _ => throw new ArgumentOutOfRangeException(nameof(activation), activation, "Not element-wise."),
    };
}
