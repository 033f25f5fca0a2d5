using NnSimd.Data;
using Xunit;

namespace NnSimd.Cli.Tests.Data;

/// <summary>The names the CLI puts on classes.</summary>
public class ClassNamesTests
{
    [Fact]
    public void Fashion_mnist_labels_have_their_names_and_mnist_labels_stay_digits()
    {
        Assert.Equal(10, ClassNames.FashionMnist.Count);
        Assert.Equal("T-shirt/top", ClassNames.Of("fashion-mnist", 0));
        Assert.Equal("Sneaker", ClassNames.Of("fashion-mnist", 7));
        Assert.Equal("Ankle boot", ClassNames.Of("fashion-mnist", 9));
        Assert.Equal("7", ClassNames.Of("mnist", 7));
    }
}
