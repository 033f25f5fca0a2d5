using NnSimd.Kernels.Reference;

namespace NnSimd.Model;

/// <summary>A network evaluated in float64 with the naive loops: the oracle for <c>Network.Predict</c>.</summary>
internal static class NetworkReference
{
    public static double[] Predict(Network network, ReadOnlySpan<float> input, int rows)
    {
        double[] x = new double[input.Length];
        for (int i = 0; i < x.Length; i++)
        {
            x[i] = input[i];
        }

        foreach (DenseLayer layer in network.Layers)
        {
            float[] w = layer.GetWeights();
            ReadOnlySpan<float> bias = layer.Bias;
            var y = new double[rows * layer.Outputs];
            for (int r = 0; r < rows; r++)
            {
                for (int j = 0; j < layer.Outputs; j++)
                {
                    double sum = bias[j];
                    for (int p = 0; p < layer.Inputs; p++)
                    {
                        sum += x[r * layer.Inputs + p] * w[p * layer.Outputs + j];
                    }

                    y[r * layer.Outputs + j] = sum;
                }

                if (layer.Activation == Activation.Softmax)
                {
                    SoftmaxReference.InPlace(y.AsSpan(r * layer.Outputs, layer.Outputs));
                }
                else
                {
                    for (int j = 0; j < layer.Outputs; j++)
                    {
                        y[r * layer.Outputs + j] = ActivationsReference.Apply(layer.Activation, y[r * layer.Outputs + j]);
                    }
                }
            }

            x = y;
        }

        return x;
    }
}
