namespace NnSimd.IO;

/// <summary>
/// An MNIST-format data set (MNIST, Fashion-MNIST): images as raw uint8 pixels plus labels, and the book's three
/// views of them: <c>normalize</c> (pixel / 255 as float32, else 0..255), <c>flatten</c> (784 per image, else
/// 1x28x28) and <c>oneHotLabel</c> (a 10-wide one-hot row per label, else the label).
/// </summary>
public sealed class MnistSet
{
    internal MnistSet(byte[] pixels, byte[] labels, int count, int rows, int columns)
    {
        Pixels = pixels;
        Labels = labels;
        Count = count;
        Rows = rows;
        Columns = columns;
    }

    /// <summary>Number of images.</summary>
    public int Count { get; }

    /// <summary>Image height (28).</summary>
    public int Rows { get; }

    /// <summary>Image width (28).</summary>
    public int Columns { get; }

    /// <summary>Pixels per image (784).</summary>
    public int PixelsPerImage => Rows * Columns;

    /// <summary>All pixels, image after image, row-major, 0..255.</summary>
    public byte[] Pixels { get; }

    /// <summary>The label of each image, 0..9.</summary>
    public byte[] Labels { get; }

    /// <summary>The images as float32, pixel / 255 when <paramref name="normalize"/> (bitwise as NumPy's <c>astype(float32) / 255.0</c>).</summary>
    public float[] Images(bool normalize = true)
    {
        var x = new float[Pixels.Length];
        for (int i = 0; i < x.Length; i++)
        {
            x[i] = normalize ? Pixels[i] / 255f : Pixels[i];
        }

        return x;
    }

    /// <summary>The shape of <see cref="Images"/>: <c>[count, 784]</c> flattened, else <c>[count, 1, 28, 28]</c>.</summary>
    public int[] ImageShape(bool flatten = true) => flatten ? [Count, PixelsPerImage] : [Count, 1, Rows, Columns];

    /// <summary>The labels as one-hot rows, <c>[count, 10]</c>.</summary>
    public float[] OneHotLabels()
    {
        var t = new float[Count * 10];
        for (int i = 0; i < Count; i++)
        {
            t[i * 10 + Labels[i]] = 1f;
        }

        return t;
    }
}

/// <summary>Loads MNIST-format files (<c>t10k-*</c> or <c>train-*</c>, gzip or raw) from a directory.</summary>
public static class Mnist
{
    /// <summary>The test images file name of the MNIST distribution.</summary>
    public const string TestImages = "t10k-images-idx3-ubyte.gz";

    /// <summary>The test labels file name.</summary>
    public const string TestLabels = "t10k-labels-idx1-ubyte.gz";

    /// <summary>The training images file name.</summary>
    public const string TrainImages = "train-images-idx3-ubyte.gz";

    /// <summary>The training labels file name.</summary>
    public const string TrainLabels = "train-labels-idx1-ubyte.gz";

    /// <summary>Loads the test (or training) set from <paramref name="directory"/>, also trying its <c>mnist/</c> folder.</summary>
    public static MnistSet Load(string directory, bool train = false)
    {
        string images = Find(directory, train ? TrainImages : TestImages);
        string labels = Find(directory, train ? TrainLabels : TestLabels);
        return Load(images, labels);
    }

    /// <summary>Loads an images file and a labels file, checking that they agree.</summary>
    public static MnistSet Load(string imagesPath, string labelsPath)
    {
        TensorData images = Idx.Read(imagesPath);
        TensorData labels = Idx.Read(labelsPath);
        if (images.Bytes is null || images.Shape.Count != 3)
        {
            throw new NnSimdFormatException(imagesPath, null, $"expected uint8 images of shape Nx28x28, found {images.SourceDType} {images.ShapeText}.");
        }

        if (labels.Bytes is null || labels.Shape.Count != 1)
        {
            throw new NnSimdFormatException(labelsPath, null, $"expected uint8 labels of shape N, found {labels.SourceDType} {labels.ShapeText}.");
        }

        if (images.Shape[0] != labels.Shape[0])
        {
            throw new NnSimdFormatException(labelsPath, null,
                $"{labels.Shape[0]} labels but {Path.GetFileName(imagesPath)} has {images.Shape[0]} images; the counts must agree.");
        }

        int bad = Array.FindIndex(labels.Bytes, l => l > 9);
        if (bad >= 0)
        {
            throw new NnSimdFormatException(labelsPath, 8 + bad, $"label {labels.Bytes[bad]} of image {bad} is not a class 0..9.");
        }

        return new MnistSet(images.Bytes, labels.Bytes, images.Shape[0], images.Shape[1], images.Shape[2]);
    }

    private static string Find(string directory, string gzName)
    {
        string raw = gzName[..^3];
        foreach (string dir in new[] { directory, Path.Combine(directory, "mnist") })
        {
            foreach (string name in new[] { gzName, raw })
            {
                string candidate = Path.Combine(dir, name);
                if (File.Exists(candidate))
                {
                    return candidate;
                }
            }
        }

        throw new FileNotFoundException($"{gzName} (or {raw}) not found in {Path.GetFullPath(directory)} or its mnist/ folder.", gzName);
    }
}
