using System.Globalization;

namespace NnSimd.Data;

/// <summary>What a class index means in each dataset the CLI reads: a digit for MNIST, a garment for Fashion-MNIST.</summary>
public static class ClassNames
{
    /// <summary>Fashion-MNIST's ten labels, in label order (from the dataset's description).</summary>
    public static readonly IReadOnlyList<string> FashionMnist =
        ["T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot"];

    /// <summary>The class's name for people: "7" for an MNIST digit, "Ankle boot" for Fashion-MNIST's 9.</summary>
    public static string Of(string dataset, int label) =>
        dataset == "fashion-mnist" && label >= 0 && label < FashionMnist.Count
            ? FashionMnist[label]
            : label.ToString(CultureInfo.InvariantCulture);
}
