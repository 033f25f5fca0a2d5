using NnSimd.IO;
using NnSimd.Model;
using NnSimd.Onnx;
using Xunit;

namespace NnSimd.Tests.IO;

/// <summary>
/// The book's network is the same network, and classifies MNIST at 0.9352, whichever file it comes through: its
/// pickle, an NnSimd model file, or an ONNX file exported from it. (Here rather than in the ONNX package's tests:
/// the reference data is found, or fetched, the way TestData does.)
/// </summary>
public class BookAcrossFormatsTests
{
    private static bool Same(Network a, Network b) =>
        a.Layers.Count == b.Layers.Count && a.Layers.Zip(b.Layers).All(p =>
            p.First.Activation == p.Second.Activation
            && p.First.GetWeights().Select(BitConverter.SingleToInt32Bits).SequenceEqual(p.Second.GetWeights().Select(BitConverter.SingleToInt32Bits))
            && p.First.Bias.ToArray().Select(BitConverter.SingleToInt32Bits).SequenceEqual(p.Second.Bias.ToArray().Select(BitConverter.SingleToInt32Bits)));

    [Fact]
    public void The_books_network_is_the_same_through_safetensors_and_ONNX_and_classifies_at_0_9352()
    {
        Network book = ModelFile.Load(TestData.SampleWeights, [Activation.Sigmoid, Activation.Sigmoid, Activation.Softmax]);
        string dir = TestData.TempDirectory();
        string safetensors = Path.Combine(dir, "book.safetensors"), onnx = Path.Combine(dir, "book.onnx");
        ModelFile.Save(book, safetensors);
        OnnxModel.Save(book, onnx);

        MnistSet test = Mnist.Load(TestData.Directory);
        foreach (Network network in new[] { ModelFile.Load(safetensors), OnnxModel.Load(onnx) })
        {
            Assert.True(Same(book, network));
            var classes = new int[test.Count];
            network.Classify(test.Pixels, 255f, classes, network.CreateWorkspace());
            Assert.Equal(9352, classes.Where((c, i) => c == test.Labels[i]).Count());
        }
    }
}
