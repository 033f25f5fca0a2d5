using NnSimd.Model;
using Xunit;

namespace NnSimd.Tests.Model;

public class ParallelAndByteInputTests
{
    private static byte[] Pixels(int rows, int seed)
    {
        var rng = new Random(seed);
        var bytes = new byte[rows * 784];
        rng.NextBytes(bytes);
        return bytes;
    }

    [Theory]
    [InlineData(1001)]
    [InlineData(100)] // split in two from 2 x MinRowsPerThread rows
    [InlineData(97)]
    public void Two_threads_give_the_same_bits_as_one(int rows)
    {
        Network net = NetworkTests.RandomNetwork(31);
        float[] x = Numerics.Random(new Random(32), rows * 784);
        var one = new float[rows * 10];
        var two = new float[rows * 10];
        var three = new float[rows * 10];
        net.Predict(x, one, net.CreateWorkspace());
        net.Predict(x, two, net.CreateWorkspace(threads: 2));
        net.Predict(x, three, net.CreateWorkspace(threads: 3, blockRows: 40));
        Assert.Equal(one, two);
        Assert.Equal(one, three);

        var classesOne = new int[rows];
        var classesTwo = new int[rows];
        net.Classify(x, classesOne, net.CreateWorkspace());
        net.Classify(x, classesTwo, net.CreateWorkspace(threads: 2));
        Assert.Equal(classesOne, classesTwo);
    }

    [Fact]
    public void Byte_rows_equal_float_rows_divided_in_float32()
    {
        Network net = NetworkTests.RandomNetwork(33);
        const int rows = 300;
        byte[] pixels = Pixels(rows, 34);
        float[] x = pixels.Select(p => p / 255f).ToArray();
        var fromFloats = new float[rows * 10];
        var fromBytes = new float[rows * 10];
        var fromBytes2 = new float[rows * 10];
        net.Predict(x, fromFloats, net.CreateWorkspace());
        net.Predict(pixels, 255f, fromBytes, net.CreateWorkspace());
        net.Predict(pixels, 255f, fromBytes2, net.CreateWorkspace(threads: 2));
        Assert.Equal(fromFloats, fromBytes);
        Assert.Equal(fromFloats, fromBytes2);

        var a = new int[rows];
        var b = new int[rows];
        net.Classify(x, a, net.CreateWorkspace());
        net.Classify(pixels, 255f, b, net.CreateWorkspace(threads: 2));
        Assert.Equal(a, b);
        Assert.Throws<ArgumentException>(() => net.Predict(pixels, 0f, fromBytes, net.CreateWorkspace()));
    }

    [Fact]
    public void Split_batches_allocate_nothing_once_warm()
    {
        Network net = NetworkTests.RandomNetwork(35);
        InferenceWorkspace ws = net.CreateWorkspace(threads: 2);
        byte[] pixels = Pixels(1000, 36);
        float[] x = pixels.Select(p => p / 255f).ToArray();
        var y = new float[10_000];
        var classes = new int[1000];
        void EveryMode()
        {
            net.Predict(x, y, ws);
            net.Predict(x, y, ws, NetworkOutput.Scores);
            net.Predict(pixels, 255f, y, ws);
            net.Predict(pixels, 255f, y, ws, NetworkOutput.Scores);
            net.Classify(x, classes, ws);
            net.Classify(pixels, 255f, classes, ws);
        }

        for (int i = 0; i < 10; i++)
        {
            EveryMode();
        }

        SteadyState.AllocatesNothing(() =>
        {
            for (int i = 0; i < 4; i++)
            {
                EveryMode();
            }
        });
    }

    [Fact]
    public void A_foreign_workspace_is_refused_before_any_thread_starts()
    {
        Network net = NetworkTests.RandomNetwork(37);
        InferenceWorkspace ws = net.CreateWorkspace(threads: 2);
        var y = new float[10_000];
        // Each call validates up front; a workspace from another network is refused before any thread starts.
        Assert.Throws<ArgumentException>(() => NetworkTests.RandomNetwork(38).Predict(new float[1000 * 784], y, ws));
        net.Predict(new float[1000 * 784], y, ws); // and the workspace still works
    }
}
