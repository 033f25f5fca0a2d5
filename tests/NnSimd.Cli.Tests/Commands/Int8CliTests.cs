using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using NnSimd.IO;
using NnSimd.Model;
using Xunit;

namespace NnSimd.Cli.Tests.Commands;

/// <summary>The int8 command lines as a user runs them: quantize, mnist --int8 (or an int8 model), and bench's int8 rows.</summary>
public class Int8CliTests
{
    private static string Fixture(string name) => Path.Combine(TestData.RepositoryRoot, "tests", "fixtures", "models", name);

    [Fact]
    public void Quantize_writes_an_int8_model_that_loads_and_that_mnist_runs()
    {
        string dir = TestData.TempDirectory();
        string model = Path.Combine(dir, "m.int8.safetensors");
        (int code, string output, string error) = CliTests.Run("quantize", TestData.SampleWeights, "-o", model, "--data", TestData.Directory, "--offline");
        Assert.True(code == 0, error);
        Assert.Contains("784-50-100-10 sigmoid,sigmoid,softmax int8,int8,int8", output);
        Assert.Contains("10,000 rows: MNIST test images", output);
        Assert.Contains("input scale 0.00392157", output);
        Assert.Contains("of the float32 model as safetensors", output);

        Assert.Contains("layer 2     50 -> 100    sigmoid  int8     input scale 0.00392157", output);
        QuantizedNetwork loaded = ModelFile.LoadQuantized(model);
        Assert.Equal([true, true, true], loaded.Layers.Select(l => l.IsInt8));
        Assert.Contains("int8 model", Assert.Throws<NnSimdFormatException>(() => ModelFile.Load(model)).Message);

        (code, output, error) = CliTests.Run("inspect", model);
        Assert.True(code == 0, error);
        Assert.Contains("as an int8 network: 784-50-100-10 sigmoid,sigmoid,softmax int8,int8,int8", output);
        Assert.Contains("layer 1: 784 -> 50 sigmoid, int8, input scale 0.00392157", output);

        (code, output, error) = CliTests.Run("mnist", "--weights", model, "--data", TestData.Directory, "--offline", "--json");
        Assert.True(code == 0, error);
        Assert.Contains("\"int8_accuracy_single\": 0.9354", output);
        Assert.Contains("\"int8_accuracy_batched\": 0.9354", output);
        Assert.Contains("\"int8_single_equals_batched\": true", output);
        Assert.DoesNotContain("\"accuracy_single\"", output);
    }

    [Fact]
    public void Quantize_keeps_layers_below_the_threshold_given_in_float32_and_says_why()
    {
        string dir = TestData.TempDirectory();
        string model = Path.Combine(dir, "m.int8.safetensors");
        string calibration = Path.Combine(dir, "c.npy");
        Npy.Write(calibration, new float[2 * 784], [2, 784]);
        (int code, string output, string error) = CliTests.Run("quantize", TestData.SampleWeights, "-o", model, "--calibration", calibration, "--smallest-int8-layer", "8192");
        Assert.True(code == 0, error);
        Assert.Contains("784-50-100-10 sigmoid,sigmoid,softmax int8,float32,float32", output);
        Assert.Contains("layer 2     50 -> 100    sigmoid  float32  (5,000 weights, fewer than --smallest-int8-layer 8,192)", output);
        Assert.Equal([true, false, false], ModelFile.LoadQuantized(model).Layers.Select(l => l.IsInt8));
    }

    [Fact]
    public void Quantize_never_overwrites_its_model_or_its_calibration_and_replaces_an_earlier_output()
    {
        string dir = TestData.TempDirectory();
        string model = Path.Combine(dir, "m.safetensors"), output = Path.Combine(dir, "q.safetensors");
        Assert.Equal(0, CliTests.Run("convert", TestData.SampleWeights, "-o", model).Code);
        string calibration = Path.Combine(dir, "c.safetensors");
        Npy.Write(Path.Combine(dir, "c.npy"), new float[2 * 784], [2, 784]);
        File.Copy(Path.Combine(dir, "c.npy"), calibration);
        byte[] before = File.ReadAllBytes(model);

        CliTests.AssertOneLineError(CliTests.Run("quantize", model, "-o", model, "--calibration", Path.Combine(dir, "c.npy")), "refusing to overwrite an input");
        CliTests.AssertOneLineError(CliTests.Run("quantize", model, "-o", calibration, "--calibration", calibration), "refusing to overwrite an input");
        Assert.Equal(before, File.ReadAllBytes(model));
        Assert.False(File.Exists(output));

        // As convert and export do, an output that is no input is replaced (atomically).
        File.WriteAllBytes(output, [1, 2, 3]);
        (int code, _, string error) = CliTests.Run("quantize", model, "-o", output, "--calibration", Path.Combine(dir, "c.npy"));
        Assert.True(code == 0, error);
        Assert.Equal(3, ModelFile.LoadQuantized(output).Layers.Count);
    }

    [Fact]
    public void A_bad_or_missing_calibration_is_one_line_and_writes_nothing()
    {
        string dir = TestData.TempDirectory();
        string output = Path.Combine(dir, "q.safetensors");
        Npy.Write(Path.Combine(dir, "narrow.npy"), new float[2 * 100], [2, 100]);
        var infinite = new float[3 * 784];
        infinite[784 + 5] = float.PositiveInfinity;
        Npy.Write(Path.Combine(dir, "inf.npy"), infinite, [3, 784]);

        CliTests.AssertOneLineError(CliTests.Run("quantize", TestData.SampleWeights, "-o", output, "--calibration", Path.Combine(dir, "none.npy")), "--calibration");
        CliTests.AssertOneLineError(CliTests.Run("quantize", TestData.SampleWeights, "-o", output, "--calibration", Path.Combine(dir, "narrow.npy")), "calibration is F32 2x100, not rows of the network's 784 inputs");
        CliTests.AssertOneLineError(CliTests.Run("quantize", TestData.SampleWeights, "-o", output, "--calibration", Path.Combine(dir, "inf.npy")), "calibration row 1, column 5 is");
        CliTests.AssertOneLineError(CliTests.Run("quantize", Fixture("seq_relu.safetensors"), "--activations", "relu,relu,softmax", "-o", output),
            "the network takes 7 inputs, so the MNIST images (784 pixels) cannot calibrate it: pass --calibration");
        Assert.False(File.Exists(output));
    }

    [Fact]
    public void Quantize_keeps_a_layer_whose_input_can_be_negative_in_float32()
    {
        string output = Path.Combine(TestData.TempDirectory(), "r.safetensors");
        (int code, string text, string error) = CliTests.Run("quantize", Fixture("seq_relu.safetensors"), "--activations", "relu,relu,softmax",
            "--calibration", Fixture("seq_relu.x.npy"), "--smallest-int8-layer", "0", "-o", output);
        Assert.True(code == 0, error);
        Assert.Contains("7-13-5-3 relu,relu,softmax float32,int8,int8", text);
        Assert.Equal([false, true, true], ModelFile.LoadQuantized(output).Layers.Select(l => l.IsInt8));
    }

    [Fact]
    public void Predict_runs_an_int8_model_as_the_library_does()
    {
        string dir = TestData.TempDirectory();
        string model = Path.Combine(dir, "m.int8.safetensors"), x = Path.Combine(dir, "x.npy"), y = Path.Combine(dir, "y.npy");
        Assert.Equal(0, CliTests.Run("quantize", TestData.SampleWeights, "-o", model, "--data", TestData.Directory, "--offline").Code);
        MnistSet test = Mnist.Load(TestData.Directory);
        float[] images = test.Images()[..(100 * 784)];
        Npy.Write(x, images, [100, 784]);
        (int code, _, string error) = CliTests.Run("predict", "--weights", model, "--input", x, "--output", y);
        Assert.True(code == 0, error);

        QuantizedNetwork q = ModelFile.LoadQuantized(model);
        var expected = new float[100 * 10];
        q.Predict(images, expected, q.CreateWorkspace());
        Assert.Equal(expected, Npy.Read(y).Floats);
        CliTests.AssertOneLineError(CliTests.Run("predict", "--weights", model, "--activations", "relu,relu,softmax", "--input", x, "--output", y), "is an int8 model");
    }

    [Fact]
    public void Mnist_int8_prints_both_accuracies_and_the_difference_from_fp32()
    {
        (int code, string output, string error) = CliTests.Run("mnist", "--int8", "--data", TestData.Directory, "--offline");
        Assert.True(code == 0, error);
        Assert.Contains("one at a time   accuracy 0.9352", output);
        Assert.Contains("batches of 100  accuracy 0.9352", output);
        Assert.Contains("int8 one at a time   accuracy 0.9354", output);
        Assert.Contains("int8 batches of 100  accuracy 0.9354", output);
        // All three layers in int8 (the default): 0.0123 on this data; 0.0062 with only the first layer in int8.
        Match difference = Regex.Match(output, @"int8 vs fp32    largest probability difference (0\.\d+)");
        Assert.True(difference.Success, output);
        Assert.InRange(double.Parse(difference.Groups[1].Value, CultureInfo.InvariantCulture), 1e-4, 0.02);
        Assert.Contains("int8 one at a time and batched: bitwise the same", output);
    }

    [Fact]
    public void Bench_json_keeps_its_rows_and_adds_the_same_int8_rows_saying_precision_and_input()
    {
        (int code, string output, string error) = CliTests.Run("bench", "--json", "--seconds", "0.5");
        Assert.True(code == 0, error);
        using JsonDocument json = JsonDocument.Parse(output);
        int threadCounts = Environment.ProcessorCount == 1 ? 1 : 2;
        foreach (string table in new[] { "us_per_image", "gflops", "allocated_bytes_per_call" })
        {
            List<JsonElement> rows = [.. json.RootElement.GetProperty(table).EnumerateArray()];
            Assert.All(rows, r => Assert.Equal("bytes", r.GetProperty("input").GetString()));
            List<JsonElement> fp32 = rows.FindAll(r => r.GetProperty("precision").GetString() == "fp32");
            List<JsonElement> int8 = rows.FindAll(r => r.GetProperty("precision").GetString() == "int8");
            Assert.Equal(3 * threadCounts, fp32.Count);
            Assert.Equal(
                fp32.Select(r => (r.GetProperty("batch").GetInt32(), r.GetProperty("threads").GetInt32())),
                int8.Select(r => (r.GetProperty("batch").GetInt32(), r.GetProperty("threads").GetInt32())));
            Assert.Equal(rows.Count, fp32.Count + int8.Count);
        }

        Assert.All(json.RootElement.GetProperty("us_per_image").EnumerateArray(), r => Assert.True(r.GetProperty("median").GetDouble() > 0));
        Assert.All(json.RootElement.GetProperty("gflops").EnumerateArray(),
            r => Assert.Equal(r.GetProperty("precision").GetString() == "int8" ? JsonValueKind.Null : JsonValueKind.Number, r.GetProperty("percent_of_peak").ValueKind));
        Assert.Contains("int8,int8,int8", json.RootElement.GetProperty("int8_network").GetString());
    }
}
