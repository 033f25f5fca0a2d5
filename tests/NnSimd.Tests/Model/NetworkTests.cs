using NnSimd.Model;
using Xunit;

namespace NnSimd.Tests.Model;

public class NetworkTests
{
    /// <summary>The book's 2-3-2-2 network (chapter 3.4), sigmoid hidden layers, identity output.</summary>
    internal static Network BookNetwork(Activation output = Activation.Identity) => new(
        new DenseLayer([0.1f, 0.3f, 0.5f, 0.2f, 0.4f, 0.6f], [0.1f, 0.2f, 0.3f], 2, 3, Activation.Sigmoid),
        new DenseLayer([0.1f, 0.4f, 0.2f, 0.5f, 0.3f, 0.6f], [0.1f, 0.2f], 3, 2, Activation.Sigmoid),
        new DenseLayer([0.1f, 0.3f, 0.2f, 0.4f], [0.1f, 0.2f], 2, 2, output));

    internal static Network RandomNetwork(int seed, Activation hidden = Activation.Sigmoid, params int[] widths)
    {
        if (widths.Length == 0)
        {
            widths = [784, 50, 100, 10];
        }

        var rng = new Random(seed);
        var layers = new DenseLayer[widths.Length - 1];
        for (int i = 0; i < layers.Length; i++)
        {
            int inputs = widths[i], outputs = widths[i + 1];
            float scale = 1f / MathF.Sqrt(inputs);
            layers[i] = new DenseLayer(
                Numerics.Random(rng, inputs * outputs, 2 * scale), Numerics.Random(rng, outputs, 0.1f), inputs, outputs,
                i == layers.Length - 1 ? Activation.Softmax : hidden);
        }

        return new Network(layers);
    }

    [Fact]
    public void Book_2_3_2_2_network()
    {
        Network net = BookNetwork();
        var y = new float[2];
        net.Predict([1.0f, 0.5f], y, net.CreateWorkspace());
        Assert.Equal(0.31682708, y[0], 1e-6);
        Assert.Equal(0.69627909, y[1], 1e-6);
        Assert.Equal("2-3-2-2 sigmoid,sigmoid,identity", net.ToString());
    }

    [Theory]
    [InlineData(Activation.Sigmoid)]
    [InlineData(Activation.Relu)]
    [InlineData(Activation.Tanh)]
    public void Matches_the_float64_reference(Activation hidden)
    {
        Network net = RandomNetwork(1, hidden);
        float[] x = Numerics.Random(new Random(2), 30 * 784);
        var y = new float[30 * 10];
        net.Predict(x, y, net.CreateWorkspace());
        double[] expected = NetworkReference.Predict(net, x, 30);
        for (int i = 0; i < y.Length; i++)
        {
            // Three layers of k-scaled float32 sums (k <= 784, |terms| ~ 1): a few 1e-6 at most.
            Assert.True(Math.Abs(y[i] - expected[i]) <= 2e-5, $"y[{i}] = {y[i]}, expected {expected[i]}");
        }
    }

    [Fact]
    public void A_row_gives_the_same_bits_alone_or_at_any_position_of_any_batch()
    {
        Network net = RandomNetwork(3);
        InferenceWorkspace ws = net.CreateWorkspace();
        const int rows = 250; // crosses the 96-row blocks and every tile remainder
        float[] x = Numerics.Random(new Random(4), rows * 784);
        var all = new float[rows * 10];
        net.Predict(x, all, ws);

        var one = new float[10];
        for (int r = 0; r < rows; r++)
        {
            net.Predict(x.AsSpan(r * 784, 784), one, ws);
            Assert.Equal(all.AsSpan(r * 10, 10).ToArray(), one);
        }

        // Inside other batches, at other offsets, with other block sizes.
        foreach ((int start, int count, int block) in new[] { (5, 7, 96), (100, 150, 96), (1, 200, 8), (17, 3, 1), (0, 250, 13) })
        {
            var part = new float[count * 10];
            InferenceWorkspace other = net.CreateWorkspace(blockRows: block);
            net.Predict(x.AsSpan(start * 784, count * 784), part, other);
            Assert.Equal(all.AsSpan(start * 10, count * 10).ToArray(), part);
        }
    }

    [Fact]
    public void Classify_is_the_argmax_with_or_without_softmax()
    {
        Network net = RandomNetwork(5);
        InferenceWorkspace ws = net.CreateWorkspace();
        float[] x = Numerics.Random(new Random(6), 120 * 784);
        var probs = new float[1200];
        var scores = new float[1200];
        var classes = new int[120];
        net.Predict(x, probs, ws);
        net.Predict(x, scores, ws, NetworkOutput.Scores);
        net.Classify(x, classes, ws);
        for (int r = 0; r < 120; r++)
        {
            Assert.Equal(NnSimd.Kernels.Softmax.ArgMax(scores.AsSpan(r * 10, 10)), classes[r]);
            Assert.Equal(NnSimd.Kernels.Softmax.ArgMax(probs.AsSpan(r * 10, 10)), classes[r]);
            Assert.Equal(1.0, probs.AsSpan(r * 10, 10).ToArray().Sum(v => (double)v), 1e-5);
        }
    }

    [Fact]
    public void A_steady_state_forward_pass_allocates_nothing()
    {
        Network net = RandomNetwork(7);
        InferenceWorkspace ws = net.CreateWorkspace();
        float[] x = Numerics.Random(new Random(8), 300 * 784);
        var y = new float[300 * 10];
        var classes = new int[300];

        // First calls compile the code; then measure many.
        for (int i = 0; i < 50; i++)
        {
            net.Predict(x, y, ws);
            net.Predict(x.AsSpan(0, 784), y.AsSpan(0, 10), ws);
            net.Classify(x, classes, ws);
        }

        SteadyState.AllocatesNothing(() =>
        {
            for (int i = 0; i < 4; i++)
            {
                net.Predict(x, y, ws);
                net.Predict(x.AsSpan(0, 784), y.AsSpan(0, 10), ws, NetworkOutput.Scores);
                net.Classify(x, classes, ws);
            }
        });
    }

    [Fact]
    public void One_network_serves_many_threads()
    {
        Network net = RandomNetwork(9);
        float[] x = Numerics.Random(new Random(10), 64 * 784);
        var expected = new float[640];
        net.Predict(x, expected, net.CreateWorkspace());
        Parallel.For(0, 8, _ =>
        {
            InferenceWorkspace ws = net.CreateWorkspace();
            var y = new float[640];
            for (int i = 0; i < 20; i++)
            {
                net.Predict(x, y, ws);
                Assert.Equal(expected, y);
            }
        });
    }

    [Fact]
    public void Bad_shapes_are_refused_with_clear_messages()
    {
        var e = Assert.Throws<ArgumentException>(() => new Network(
            new DenseLayer(new float[6], new float[3], 2, 3, Activation.Sigmoid),
            new DenseLayer(new float[8], new float[2], 4, 2, Activation.Identity)));
        Assert.Contains("Layer 1 takes 4 inputs but layer 0 gives 3", e.Message);

        Assert.Throws<ArgumentException>(() => new Network(
            new DenseLayer(new float[6], new float[3], 2, 3, Activation.Softmax),
            new DenseLayer(new float[6], new float[2], 3, 2, Activation.Identity)));
        Assert.Throws<ArgumentException>(() => new DenseLayer(new float[5], new float[3], 2, 3, Activation.Relu));

        Network net = BookNetwork();
        InferenceWorkspace ws = net.CreateWorkspace();
        Assert.Throws<ArgumentException>(() => net.Predict(new float[3], new float[2], ws));
        Assert.Throws<ArgumentException>(() => net.Predict(new float[4], new float[2], ws));
        Assert.Throws<ArgumentException>(() => net.Predict(new float[2], new float[2], BookNetwork().CreateWorkspace()));
    }
}
