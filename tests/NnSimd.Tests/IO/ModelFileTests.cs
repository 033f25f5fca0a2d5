using NnSimd.IO;
using NnSimd.Model;
using Xunit;

namespace NnSimd.Tests.IO;

/// <summary>The book's experiment as a test: 0.9352 on the MNIST test set, from the pickle and from safetensors.</summary>
public class ModelFileTests
{
    private static double Accuracy(Network network, MnistSet test, int batch)
    {
        var classes = new int[test.Count];
        InferenceWorkspace ws = network.CreateWorkspace();
        for (int i = 0; i < test.Count; i += batch)
        {
            int n = Math.Min(batch, test.Count - i);
            network.Classify(test.Pixels.AsSpan(i * 784, n * 784), 255f, classes.AsSpan(i, n), ws);
        }

        return (double)classes.Where((c, i) => c == test.Labels[i]).Count() / test.Count;
    }

    [Fact]
    public void The_books_network_scores_0_9352_one_at_a_time_and_in_batches_from_pickle_and_safetensors()
    {
        MnistSet test = Mnist.Load(TestData.Directory);
        Network fromPickle = ModelFile.Load(TestData.SampleWeights, [Activation.Sigmoid, Activation.Sigmoid, Activation.Softmax]);
        Assert.Equal("784-50-100-10 sigmoid,sigmoid,softmax", fromPickle.ToString());
        Assert.Equal(0.9352, Accuracy(fromPickle, test, 1));
        Assert.Equal(0.9352, Accuracy(fromPickle, test, 100));

        string path = Path.Combine(TestData.TempDirectory(), "book.safetensors");
        ModelFile.Save(fromPickle, path);
        Network fromFile = ModelFile.Load(path);
        Assert.Equal(0.9352, Accuracy(fromFile, test, 100));
        for (int i = 0; i < 3; i++)
        {
            Assert.Equal(fromPickle.Layers[i].GetWeights(), fromFile.Layers[i].GetWeights());
        }
    }

    [Fact]
    public void The_first_probabilities_match_a_float64_reference()
    {
        MnistSet test = Mnist.Load(TestData.Directory);
        Network network = ModelFile.Load(TestData.SampleWeights, [Activation.Sigmoid, Activation.Sigmoid, Activation.Softmax]);
        float[] x = test.Images().AsSpan(0, 5 * 784).ToArray();
        var y = new float[50];
        network.Predict(x, y, network.CreateWorkspace());
        double[] expected = NetworkReference.Predict(network, x, 5);
        for (int i = 0; i < y.Length; i++)
        {
            Assert.True(Math.Abs(y[i] - expected[i]) <= 1e-6, $"y[{i}] = {y[i]}, expected {expected[i]}");
        }

        Assert.Equal(7, NnSimd.Kernels.Softmax.ArgMax(y.AsSpan(0, 10)));
    }

    [Fact]
    public void Bad_models_are_refused_with_the_tensor_named()
    {
        var tensors = new Dictionary<string, TensorData>
        {
            ["W1"] = TensorData.FromFloats("W1", [4, 3], new float[12]),
            ["b1"] = TensorData.FromFloats("b1", [3], new float[3]),
            ["W2"] = TensorData.FromFloats("W2", [5, 2], new float[10]),
            ["b2"] = TensorData.FromFloats("b2", [2], new float[2]),
        };
        Activation[] acts = [Activation.Relu, Activation.Softmax];
        Assert.Contains("W2 is 5x2 but W1 gives 3 outputs", Assert.Throws<NnSimdFormatException>(() => ModelFile.FromTensors(tensors, acts, "m")).Message);
        tensors["W2"] = TensorData.FromFloats("W2", [3, 2], new float[6]);
        tensors["b2"] = TensorData.FromFloats("b2", [3], new float[3]);
        Assert.Contains("b2 must be a float vector of 2", Assert.Throws<NnSimdFormatException>(() => ModelFile.FromTensors(tensors, acts, "m")).Message);
        Assert.Contains("2 layers (W1..W2) but 1 activations", Assert.Throws<NnSimdFormatException>(() => ModelFile.FromTensors(tensors, [Activation.Relu], "m")).Message);
        Assert.Throws<FormatException>(() => ModelFile.ParseActivations("sigmoid,swish"));
    }
}
