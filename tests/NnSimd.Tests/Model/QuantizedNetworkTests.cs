using NnSimd.IO;
using NnSimd.Kernels;
using NnSimd.Model;
using Xunit;
using Xunit.Abstractions;

namespace NnSimd.Tests.Model;

/// <summary>
/// The int8 network: the book's accuracy, agreement with <see cref="QuantizedNetworkReference"/>, which layers run
/// in int8, batch invariance, no allocation per call, the model file, and bad input.
/// </summary>
public class QuantizedNetworkTests(ITestOutputHelper output)
{
    private static readonly Lazy<(Network Float, QuantizedNetwork Int8, MnistSet Test)> Book = new(() =>
    {
        Network net = ModelFile.Load(TestData.SampleWeights, [Activation.Sigmoid, Activation.Sigmoid, Activation.Softmax]);
        MnistSet test = Mnist.Load(TestData.Directory);
        return (net, net.Quantize(test.Images()), test);
    });

    [Fact]
    public void The_books_network_in_int8_keeps_its_accuracy_one_at_a_time_and_in_batches()
    {
        (Network net, QuantizedNetwork q, MnistSet test) = Book.Value;
        Assert.Equal("784-50-100-10 sigmoid,sigmoid,softmax int8,int8,int8", q.ToString());
        int n = test.Count;
        var batched = new float[n * 10];
        var single = new float[n * 10];
        var fp32 = new float[n * 10];
        QuantizedWorkspace ws = q.CreateWorkspace();
        q.Predict(test.Pixels, 255f, batched, ws);
        for (int r = 0; r < n; r++)
        {
            q.Predict(test.Pixels.AsSpan(r * 784, 784), 255f, single.AsSpan(r * 10, 10), ws);
        }

        net.Predict(test.Pixels, 255f, fp32, net.CreateWorkspace());
        double accuracy = Accuracy(batched, test.Labels);
        double maxDifference = 0;
        for (int i = 0; i < fp32.Length; i++)
        {
            maxDifference = Math.Max(maxDifference, Math.Abs(batched[i] - fp32[i]));
        }

        output.WriteLine($"int8 accuracy {accuracy} (float32 {Accuracy(fp32, test.Labels)}), largest probability difference from float32 {maxDifference:G4}");
        Assert.True(accuracy >= 0.934, $"int8 accuracy {accuracy} < 0.934");
        Assert.Equal(Accuracy(fp32, test.Labels), accuracy, 0.003);
        Assert.True(batched.AsSpan().SequenceEqual(single), "one at a time must be bitwise the batch");

        // Float rows k / 255 quantize back to the pixels (the calibrated input scale is 1 / 255 here).
        var fromFloats = new float[n * 10];
        q.Predict(test.Images(), fromFloats, ws);
        Assert.True(batched.AsSpan().SequenceEqual(fromFloats), "float input must give the byte input's outputs");

        var classes = new int[n];
        q.Classify(test.Pixels, 255f, classes, ws);
        for (int r = 0; r < n; r++)
        {
            Assert.Equal(Softmax.ArgMax(batched.AsSpan(r * 10, 10)), classes[r]);
        }
    }

    /// <summary>
    /// Against the float64 reference on random networks: the difference comes from the float32 activations (a few
    /// ulp) and, rarely, a hidden byte one step off where such an activation lands next to a rounding boundary; a
    /// step of 1/255 times |w| &lt;= 2/sqrt(50) moves a logit by &lt;= 1.1e-3, and a probability by at most a quarter
    /// of that, so 1e-3 bounds one flip per row with room, and a wrong scale or layer is off by far more.
    /// </summary>
    [Theory]
    [InlineData(Activation.Sigmoid, 1)]
    [InlineData(Activation.Relu, 2)]
    [InlineData(Activation.Tanh, 3)]
    public void Random_networks_match_the_reference(Activation hidden, int seed)
    {
        Network net = NetworkTests.RandomNetwork(seed, hidden, 64, 50, 30, 10);
        var rng = new Random(seed);
        int rows = 37;
        var pixels = new byte[rows * 64];
        rng.NextBytes(pixels);
        float[] calibration = Array.ConvertAll(pixels, p => p / 255f);
        QuantizedNetwork q = net.Quantize(calibration, smallestInt8Layer: 0);
        string precision = hidden == Activation.Tanh ? "int8,float32,float32" : "int8,int8,int8";
        Assert.EndsWith(precision, q.ToString());
        var y = new float[rows * 10];
        q.Predict(pixels, 255f, y, q.CreateWorkspace(blockRows: 8));
        double worst = Numerics.AssertWithin($"{hidden} bytes", y, QuantizedNetworkReference.Predict(q, default, rows, pixels, 255f), _ => 1e-3);
        q.Predict(calibration, y, q.CreateWorkspace());
        worst = Math.Max(worst, Numerics.AssertWithin($"{hidden} floats", y, QuantizedNetworkReference.Predict(q, calibration, rows), _ => 1e-3));
        output.WriteLine($"{hidden}: max |difference| {worst:E2}");
    }

    [Fact]
    public void Scales_come_from_the_activations_bounds_and_the_calibration_range()
    {
        Network net = NetworkTests.RandomNetwork(4, Activation.Relu, 8, 6, 5, 3);
        var calibration = new float[3 * 8];
        calibration[5] = 2.55f;
        QuantizedNetwork q = net.Quantize(calibration, smallestInt8Layer: 0);
        Assert.Equal(2.55f / 255, q.Layers[0].InputScale);
        Assert.True(q.Layers[1].IsInt8 && q.Layers[2].IsInt8);

        // A negative input keeps the first layer in float32; the layer after a sigmoid uses 1/255.
        calibration[6] = -1f;
        Network sigmoid = NetworkTests.RandomNetwork(4, Activation.Sigmoid, 8, 6, 3);
        QuantizedNetwork qs = sigmoid.Quantize(calibration, smallestInt8Layer: 0);
        Assert.False(qs.Layers[0].IsInt8);
        Assert.Equal(1f / 255, qs.Layers[1].InputScale);
        Assert.Throws<InvalidOperationException>(() => qs.Layers[0].GetInt8Weights());
        Assert.Equal(sigmoid.Layers[0].GetWeights(), qs.Layers[0].GetWeights());
    }

    [Fact]
    public void Small_layers_stay_float32_below_the_threshold_given()
    {
        // By default every layer is int8. With 8,192: 200 x 41 = 8,200 and 150 x 60 = 9,000 weights reach it;
        // 41 x 150 and 60 x 10 do not.
        Network net = NetworkTests.RandomNetwork(4, Activation.Relu, 200, 41, 150, 60, 10);
        var calibration = new float[2 * 200];
        Assert.EndsWith(" int8,int8,int8,int8", net.Quantize(calibration).ToString());
        Assert.EndsWith(" int8,float32,int8,float32", net.Quantize(calibration, smallestInt8Layer: 8192).ToString());
        Assert.EndsWith(" int8,int8,int8,int8", net.Quantize(calibration, smallestInt8Layer: 0).ToString());
        Assert.EndsWith(" float32,float32,float32,float32", net.Quantize(calibration, smallestInt8Layer: 1 << 20).ToString());
        Assert.Throws<ArgumentOutOfRangeException>(() => net.Quantize(calibration, smallestInt8Layer: -1));
    }

    [Fact]
    public void Any_row_gives_the_same_bits_alone_or_anywhere_in_a_batch()
    {
        QuantizedNetwork q = NetworkTests.RandomNetwork(8, Activation.Relu, 100, 40, 20, 10).Quantize(Numerics.Random(new Random(1), 500, 1f).Select(Math.Abs).ToArray(), smallestInt8Layer: 0);
        var rng = new Random(3);
        int rows = 150;
        float[] x = Numerics.Random(rng, rows * 100, 1f).Select(Math.Abs).ToArray();
        var all = new float[rows * 10];
        q.Predict(x, all, q.CreateWorkspace(blockRows: 32));
        var one = new float[10];
        QuantizedWorkspace ws = q.CreateWorkspace();
        foreach (int r in new[] { 0, 7, 31, 32, 99, 149 })
        {
            q.Predict(x.AsSpan(r * 100, 100), one, ws);
            Assert.True(one.AsSpan().SequenceEqual(all.AsSpan(r * 10, 10)), $"row {r}");
        }
    }

    [Fact]
    public void Two_threads_give_the_bits_of_one_and_a_bad_row_the_same_error()
    {
        (_, QuantizedNetwork q, MnistSet test) = Book.Value;
        var one = new float[1000 * 10];
        var two = new float[1000 * 10];
        q.Predict(test.Pixels.AsSpan(0, 1000 * 784), 255f, one, q.CreateWorkspace());
        QuantizedWorkspace ws = q.CreateWorkspace(threads: 2);
        Assert.Equal(2, ws.Threads);
        q.Predict(test.Pixels.AsSpan(0, 1000 * 784), 255f, two, ws);
        Assert.Equal(one, two);

        float[] images = test.Images().AsSpan(0, 1000 * 784).ToArray();
        images[(900 * 784) + 3] = float.NaN;
        Assert.Contains("input row 900, column 3 is NaN", Assert.Throws<ArgumentException>(() => q.Predict(images, two, ws)).Message);
    }

    [Fact]
    public void A_call_allocates_nothing()
    {
        (_, QuantizedNetwork q, MnistSet test) = Book.Value;
        float[] images = test.Images();
        var y = new float[200 * 10];
        var classes = new int[200];
        foreach (int threads in new[] { 1, 2 })
        {
            QuantizedWorkspace ws = q.CreateWorkspace(threads);

            // Each round calls every mode four times, as the float network's test does, so that anything allocated
            // every few calls shows in more than the one round SteadyState allows the runtime's counter.
            SteadyState.AllocatesNothing(() =>
            {
                for (int i = 0; i < 4; i++)
                {
                    q.Predict(test.Pixels.AsSpan(0, 200 * 784), 255f, y, ws);
                    q.Predict(images.AsSpan(0, 200 * 784), y, ws, NetworkOutput.Scores);
                    q.Classify(test.Pixels.AsSpan(0, 200 * 784), 255f, classes, ws);
                    q.Classify(images.AsSpan(0, 784), classes.AsSpan(0, 1), ws);
                }
            });
        }
    }

    [Fact]
    public void Saved_and_loaded_it_gives_the_same_bits_and_any_safetensors_reader_sees_int8_weights()
    {
        Network net = NetworkTests.RandomNetwork(6, Activation.Tanh, 20, 12, 4);
        float[] calibration = Numerics.Random(new Random(2), 60, 1f).Select(Math.Abs).ToArray();
        QuantizedNetwork q = net.Quantize(calibration, smallestInt8Layer: 0);
        string path = Path.Combine(TestData.TempDirectory(), "m.int8.safetensors");
        ModelFile.Save(q, path);
        QuantizedNetwork loaded = ModelFile.LoadQuantized(path);
        Assert.Equal(q.ToString(), loaded.ToString());
        var a = new float[3 * 4];
        var b = new float[3 * 4];
        q.Predict(calibration, a, q.CreateWorkspace());
        loaded.Predict(calibration, b, loaded.CreateWorkspace());
        Assert.Equal(a, b);

        SafeTensors.Contents contents = SafeTensors.Read(path);
        Assert.Equal(TensorDType.I8, contents["W1"].SourceDType);
        Assert.Equal(q.Layers[0].GetInt8Weights().Select(v => (long)v), contents["W1"].Integers!);
        Assert.Equal(TensorDType.F32, contents["W2"].SourceDType);
        Assert.Contains("int8 model", Assert.Throws<NnSimdFormatException>(() => ModelFile.Load(path)).Message);

        string floatModel = Path.Combine(TestData.TempDirectory(), "m.safetensors");
        ModelFile.Save(net, floatModel);
        Assert.Contains("float32 model", Assert.Throws<NnSimdFormatException>(() => ModelFile.LoadQuantized(floatModel)).Message);
    }

    [Fact]
    public void Bad_int8_files_are_refused_with_the_tensor_named()
    {
        QuantizedNetwork q = NetworkTests.RandomNetwork(6, Activation.Sigmoid, 6, 4, 2).Quantize(new float[6], smallestInt8Layer: 0);
        string dir = TestData.TempDirectory();
        string good = Path.Combine(dir, "good.safetensors");
        ModelFile.Save(q, good);
        SafeTensors.Contents contents = SafeTensors.Read(good);

        string Broken(string name, TensorData? replacement)
        {
            string path = Path.Combine(dir, $"bad-{Guid.NewGuid():N}.safetensors");
            SafeTensors.Write(path, contents.Tensors.Where(t => t.Name != name).Concat(replacement is null ? [] : [replacement]), contents.Metadata);
            return Assert.Throws<NnSimdFormatException>(() => ModelFile.LoadQuantized(path)).Message;
        }

        long[] weights = contents["W1"].Integers!.ToArray();
        weights[5] = -128;
        Assert.Contains("W1[1, 1] is -128", Broken("W1", TensorData.FromIntegers("W1", [6, 4], weights, TensorDType.I8)));
        Assert.Contains("the tensor W2_scales is missing", Broken("W2_scales", null));
        Assert.Contains("W1_scales[2] is 0", Broken("W1_scales", TensorData.FromFloats("W1_scales", [4], [1f, 1f, 0f, 1f])));
        Assert.Contains("x2_scale[0] is NaN", Broken("x2_scale", TensorData.FromFloats("x2_scale", [1], [float.NaN])));
        Assert.Contains("W1_scales must be a float vector of 4", Broken("W1_scales", TensorData.FromFloats("W1_scales", [3], [1f, 1f, 1f])));
        Assert.Contains("W2 must be I8", Broken("W2", TensorData.FromIntegers("W2", [4, 2], new long[8], TensorDType.I64)));
    }

    [Fact]
    public void Bad_input_is_refused_with_its_row_and_column()
    {
        QuantizedNetwork q = NetworkTests.RandomNetwork(6, Activation.Sigmoid, 6, 4, 2).Quantize(Enumerable.Repeat(0.5f, 12).ToArray(), smallestInt8Layer: 0);
        QuantizedWorkspace ws = q.CreateWorkspace();
        var x = new float[18];
        x[13] = float.NaN;
        Assert.Contains("input row 2, column 1 is NaN", Assert.Throws<ArgumentException>(() => q.Predict(x, new float[6], ws)).Message);
        Assert.Contains("not a whole positive number of rows of 6", Assert.Throws<ArgumentException>(() => q.Predict(new float[7], new float[2], ws)).Message);
        Assert.Throws<ArgumentException>(() => q.Predict(new float[6], new float[3], ws));
        Assert.Throws<ArgumentException>(() => q.Predict(new byte[6], 0f, new float[2], ws));
        QuantizedNetwork other = NetworkTests.RandomNetwork(7, Activation.Sigmoid, 6, 4, 2).Quantize(new float[6]);
        Assert.Contains("another network", Assert.Throws<ArgumentException>(() => q.Predict(new float[6], new float[2], other.CreateWorkspace())).Message);
        Network net = NetworkTests.RandomNetwork(6, Activation.Sigmoid, 6, 4, 2);
        Assert.Contains("calibration row 1, column 0 is ", Assert.Throws<ArgumentException>(() => net.Quantize([0, 0, 0, 0, 0, 0, float.PositiveInfinity, 0, 0, 0, 0, 0])).Message);
        Assert.Throws<ArgumentException>(() => net.Quantize([]));
    }

    private static double Accuracy(float[] probabilities, byte[] labels)
    {
        int correct = 0;
        for (int r = 0; r < labels.Length; r++)
        {
            correct += Softmax.ArgMax(probabilities.AsSpan(r * 10, 10)) == labels[r] ? 1 : 0;
        }

        return (double)correct / labels.Length;
    }
}
