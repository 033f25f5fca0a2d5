using NnSimd.Kernels.Reference;

namespace NnSimd.Model;

/// <summary>
/// A quantized network evaluated with the naive loops: each int8 layer's input quantized to bytes as documented
/// (<see cref="ByteQuantizationReference"/>, on the activation rounded to float32), the integer products summed
/// exactly, then scaled, biased and activated in float64. The oracle for <c>QuantizedNetwork.Predict</c>.
/// </summary>
internal static class QuantizedNetworkReference
{
    /// <summary>input: [rows x Inputs] floats, or (with <paramref name="divisor"/>) bytes standing for byte / divisor.</summary>
    public static double[] Predict(QuantizedNetwork network, ReadOnlySpan<float> input, int rows, ReadOnlySpan<byte> bytes = default, float divisor = 0)
    {
        double[] x = new double[rows * network.Inputs];
        for (int i = 0; i < x.Length; i++)
        {
            x[i] = bytes.IsEmpty ? input[i] : bytes[i] / (double)divisor;
        }

        for (int l = 0; l < network.Layers.Count; l++)
        {
            QuantizedLayer layer = network.Layers[l];
            var y = new double[rows * layer.Outputs];
            if (layer.IsInt8)
            {
                byte[] q;
                float rowScale;
                if (l == 0 && !bytes.IsEmpty)
                {
                    q = bytes.ToArray();
                    rowScale = 1f / divisor;
                }
                else
                {
                    q = ByteQuantizationReference.Quantize(Array.ConvertAll(x, v => (float)v), 1f / layer.InputScale);
                    rowScale = layer.InputScale;
                }

                long[] sums = Int8GemmReference.Sums(q, rows, layer.Inputs, layer.GetInt8Weights(), layer.Outputs);
                float[] scales = layer.GetWeightScales();
                for (int i = 0; i < y.Length; i++)
                {
                    y[i] = (sums[i] * (double)rowScale * scales[i % layer.Outputs]) + layer.Bias[i % layer.Outputs];
                }
            }
            else
            {
                float[] w = layer.GetWeights();
                for (int r = 0; r < rows; r++)
                {
                    for (int j = 0; j < layer.Outputs; j++)
                    {
                        double sum = layer.Bias[j];
                        for (int p = 0; p < layer.Inputs; p++)
                        {
                            sum += x[(r * layer.Inputs) + p] * w[(p * layer.Outputs) + j];
                        }

                        y[(r * layer.Outputs) + j] = sum;
                    }
                }
            }

            for (int r = 0; r < rows; r++)
            {
                Span<double> row = y.AsSpan(r * layer.Outputs, layer.Outputs);
                if (layer.Activation == Activation.Softmax)
                {
                    SoftmaxReference.InPlace(row);
                }
                else
                {
                    for (int j = 0; j < row.Length; j++)
                    {
                        row[j] = ActivationsReference.Apply(layer.Activation, row[j]);
                    }
                }
            }

            x = y;
        }

        return x;
    }
}
