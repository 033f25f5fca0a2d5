using NnSimd.Model;
using Xunit;

namespace NnSimd.Tests;

/// <summary>The README's first library example, as it is written there, with its stated results.</summary>
public class ReadmeExampleTests
{
    [Fact]
    public void The_book_network_example_gives_what_the_README_says()
    {
        var network = new Network(
            new DenseLayer([0.1f, 0.3f, 0.5f, 0.2f, 0.4f, 0.6f], [0.1f, 0.2f, 0.3f], 2, 3, Activation.Sigmoid),
            new DenseLayer([0.1f, 0.4f, 0.2f, 0.5f, 0.3f, 0.6f], [0.1f, 0.2f], 3, 2, Activation.Sigmoid),
            new DenseLayer([0.1f, 0.3f, 0.2f, 0.4f], [0.1f, 0.2f], 2, 2, Activation.Identity));

        InferenceWorkspace workspace = network.CreateWorkspace();
        float[] batch = [1.0f, 0.5f, 0.3f, -0.2f];
        var scores = new float[2 * network.Outputs];
        network.Predict(batch, scores, workspace);
        Assert.Equal(0.31682708, scores[0], 1e-6);
        Assert.Equal(0.69627909, scores[1], 1e-6);
        var classes = new int[2];
        network.Classify(batch, classes, workspace);
        Assert.Equal(1, classes[0]);

        string readme = File.ReadAllText(Path.Combine(TestData.RepositoryRoot, "README.md"));
        Assert.Contains("network.Predict(batch, scores, workspace);                   // first row: [0.31682708, 0.69627909]", readme);
        Assert.Contains("dotnet test NnSimd.sln -c Release", readme);
    }
}
