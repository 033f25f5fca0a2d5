using FsCheck;
using FsCheck.Fluent;
using NnSimd.Model;

namespace NnSimd.Onnx.Tests;

/// <summary>Random networks, and bitwise comparison of two networks.</summary>
internal static class Networks
{
    /// <summary>The same widths, activations, and weights and biases bit for bit (NaN payloads and -0 included).</summary>
    public static bool Same(Network a, Network b) =>
        a.Layers.Count == b.Layers.Count && a.Layers.Zip(b.Layers).All(p =>
            p.First.Inputs == p.Second.Inputs && p.First.Outputs == p.Second.Outputs && p.First.Activation == p.Second.Activation
            && Bits(p.First.GetWeights()).SequenceEqual(Bits(p.Second.GetWeights()))
            && Bits(p.First.Bias.ToArray()).SequenceEqual(Bits(p.Second.Bias.ToArray())));

    private static IEnumerable<int> Bits(float[] values) => values.Select(BitConverter.SingleToInt32Bits);

    /// <summary>Values whose bits are easy to lose: -0, subnormals, infinities, NaNs with payloads, extremes.</summary>
    public static Gen<float> Value() => Gen.Frequency(
        (8, Gen.Choose(-1_000_000, 1_000_000).Select(i => i / 1_000_000f)),
        (1, Gen.Elements(-0f, 1e-45f, -1e-40f, float.MaxValue, float.MinValue, float.PositiveInfinity, float.NegativeInfinity,
            float.NaN, BitConverter.Int32BitsToSingle(0x7fc00123), BitConverter.Int32BitsToSingle(unchecked((int)0xffa00001)))));

    /// <summary>1 to 4 layers of widths 1 to 19; hidden activations identity, relu, sigmoid or tanh; the last may be softmax.</summary>
    public static Gen<Network> Network(Gen<float> value) =>
        from layers in Gen.Choose(1, 4)
        from widths in Gen.Choose(1, 19).ArrayOf(layers + 1)
        from acts in Gen.Elements(Activation.Identity, Activation.Relu, Activation.Sigmoid, Activation.Tanh).ArrayOf(layers)
        from softmax in Gen.Elements(true, false)
        from built in Layers(value, widths, i => softmax && i == layers - 1 ? Activation.Softmax : acts[i])
        select new Network(built);

    private static Gen<DenseLayer[]> Layers(Gen<float> value, int[] widths, Func<int, Activation> activation)
    {
        Gen<DenseLayer[]> layers = Gen.Constant(Array.Empty<DenseLayer>());
        for (int i = 0; i < widths.Length - 1; i++)
        {
            int n = widths[i], m = widths[i + 1];
            Activation act = activation(i);
            layers = layers.SelectMany(done => value.ArrayOf(n * m).SelectMany(w => value.ArrayOf(m).Select(b =>
                (DenseLayer[])[.. done, new DenseLayer(w, b, n, m, act)])));
        }

        return layers;
    }
}
