using System.IO.Compression;
using NnSimd.IO;
using Xunit;

namespace NnSimd.Tests.IO;

public class IdxTests
{
    private static byte[] Idx(byte type, int[] dims, byte[] data)
    {
        var bytes = new List<byte> { 0, 0, type, (byte)dims.Length };
        foreach (int d in dims)
        {
            bytes.AddRange(BitConverter.GetBytes(d).Reverse());
        }

        bytes.AddRange(data);
        return bytes.ToArray();
    }

    private static string Write(byte[] bytes, bool gzip, string name = "x-idx3-ubyte")
    {
        string path = Path.Combine(TestData.TempDirectory(), gzip ? name + ".gz" : name);
        if (gzip)
        {
            using var file = File.Create(path);
            using var z = new GZipStream(file, CompressionLevel.Fastest);
            z.Write(bytes);
        }
        else
        {
            File.WriteAllBytes(path, bytes);
        }

        return path;
    }

    [Fact]
    public void Reads_the_MNIST_test_set()
    {
        MnistSet test = Mnist.Load(TestData.Directory);
        Assert.Equal(10_000, test.Count);
        Assert.Equal(784, test.PixelsPerImage);
        Assert.Equal(7, test.Labels[0]);
        Assert.Equal(2, test.Labels[1]);
        float[] x = test.Images();
        Assert.Equal(10_000 * 784, x.Length);
        Assert.InRange(x.Min(), 0f, 0f);
        Assert.InRange(x.Max(), 1f, 1f);
        Assert.Equal(test.Pixels[200] / 255f, x[200]);
        Assert.Equal(new[] { 10_000, 1, 28, 28 }, test.ImageShape(flatten: false));
        float[] t = test.OneHotLabels();
        Assert.Equal(1f, t[7]);
        Assert.Equal(1f, t.Take(10).Sum());
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Round_trips_raw_and_gzip(bool gzip)
    {
        byte[] data = Enumerable.Range(0, 24).Select(i => (byte)i).ToArray();
        TensorData t = NnSimd.IO.Idx.Read(Write(Idx(0x08, [2, 3, 4], data), gzip));
        Assert.Equal([2, 3, 4], t.Shape);
        Assert.Equal(data, t.Bytes);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void A_lying_header_fails_without_allocating_what_it_claims(bool gzip)
    {
        // 60000 x 28 x 28 claimed, 10 bytes present.
        string path = Write(Idx(0x08, [60000, 28, 28], new byte[10]), gzip);
        long before = GC.GetAllocatedBytesForCurrentThread();
        var e = Assert.Throws<NnSimdFormatException>(() => NnSimd.IO.Idx.Read(path));
        Assert.True(GC.GetAllocatedBytesForCurrentThread() - before < 4 << 20, "must not allocate the claimed 47 MB");
        Assert.Contains("truncated", e.Message);
        Assert.Contains(Path.GetFileName(path), e.Message);
    }

    [Fact]
    public void A_huge_claim_is_refused_outright()
    {
        string path = Write(Idx(0x08, [int.MaxValue, int.MaxValue], []), false);
        var e = Assert.Throws<NnSimdFormatException>(() => NnSimd.IO.Idx.Read(path));
        Assert.Contains("more than", e.Message);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Trailing_garbage_is_an_error(bool gzip)
    {
        string path = Write(Idx(0x08, [2], [1, 2, 3]), gzip);
        var e = Assert.Throws<NnSimdFormatException>(() => NnSimd.IO.Idx.Read(path));
        Assert.Contains("after the end", e.Message);
    }

    [Fact]
    public void Bad_magic_and_types_are_named()
    {
        Assert.Contains("not an IDX file", Assert.Throws<NnSimdFormatException>(() => NnSimd.IO.Idx.Read(Write([1, 2, 8, 1, 0, 0, 0, 0], false))).Message);
        Assert.Contains("0x0b", Assert.Throws<NnSimdFormatException>(() => NnSimd.IO.Idx.Read(Write(Idx(0x0B, [1], [0, 0]), false))).Message);
        Assert.Contains("truncated", Assert.Throws<NnSimdFormatException>(() => NnSimd.IO.Idx.Read(Write([0, 0, 8], false))).Message);
    }

    [Fact]
    public void Images_and_labels_must_agree()
    {
        string dir = TestData.TempDirectory();
        File.Copy(Write(Idx(0x08, [3, 2, 2], new byte[12]), false), Path.Combine(dir, "t10k-images-idx3-ubyte"));
        File.Copy(Write(Idx(0x08, [2], [1, 2]), false), Path.Combine(dir, "t10k-labels-idx1-ubyte"));
        var e = Assert.Throws<NnSimdFormatException>(() => Mnist.Load(dir));
        Assert.Contains("2 labels but t10k-images-idx3-ubyte has 3 images", e.Message);

        File.WriteAllBytes(Path.Combine(dir, "t10k-labels-idx1-ubyte"), Idx(0x08, [3], [1, 12, 2]));
        Assert.Contains("label 12 of image 1", Assert.Throws<NnSimdFormatException>(() => Mnist.Load(dir)).Message);
    }
}
