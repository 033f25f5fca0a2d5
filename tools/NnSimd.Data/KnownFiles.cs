namespace NnSimd.Data;

/// <summary>A file the CLI can fetch: where it lives under the data directory, where it comes from, and its SHA-256.</summary>
public sealed record KnownFile(string RelativePath, string Url, string Sha256, long Bytes);

/// <summary>The book's data: the MNIST files from the mirror its loader uses, and its trained weights.</summary>
public static class KnownFiles
{
    public const string MnistMirror = "https://ossci-datasets.s3.amazonaws.com/mnist/";
    public const string WeightsUrl = "https://raw.githubusercontent.com/oreilly-japan/deep-learning-from-scratch/master/ch03/sample_weight.pkl";

    public static readonly KnownFile TestImages = new("mnist/t10k-images-idx3-ubyte.gz", MnistMirror + "t10k-images-idx3-ubyte.gz", "8d422c7b0a1c1c79245a5bcf07fe86e33eeafee792b84584aec276f5a2dbc4e6", 1_648_877);
    public static readonly KnownFile TestLabels = new("mnist/t10k-labels-idx1-ubyte.gz", MnistMirror + "t10k-labels-idx1-ubyte.gz", "f7ae60f92e00ec6debd23a6088c31dbd2371eca3ffa0defaefb259924204aec6", 4_542);
    public static readonly KnownFile TrainImages = new("mnist/train-images-idx3-ubyte.gz", MnistMirror + "train-images-idx3-ubyte.gz", "440fcabf73cc546fa21475e81ea370265605f56be210a4024d2ca8f203523609", 9_912_422);
    public static readonly KnownFile TrainLabels = new("mnist/train-labels-idx1-ubyte.gz", MnistMirror + "train-labels-idx1-ubyte.gz", "3552534a0a558bbed6aed32b30c495cca23d567ec52cac8be1a0730e8010255c", 28_881);
    public static readonly KnownFile SampleWeights = new("sample_weight.pkl", WeightsUrl, "b7f55a27988ba34c3777b0f1bbd464817c8a4db855723e6ff26f703501917a13", 181_853);
}
