using System.IO.Compression;
using System.Text;
using NnSimd.IO;
using NnSimd.Model;
using Xunit;

namespace NnSimd.Tests.IO;

/// <summary>
/// PyTorch models as torch writes them (the fixtures are made by tests/fixtures/models/make_fixtures.py with
/// torch 1.13): outputs against torch's own, run in float64, and every way a file can lie, refused.
/// </summary>
public class PyTorchFileTests
{
    public static TheoryData<string, string> Models => new()
    {
        { "seq_relu", ".pt" }, { "seq_relu", ".safetensors" },
        { "named_mixed", ".pt" }, { "named_mixed", ".safetensors" },
        { "seq_sigmoid", ".pt" }, { "seq_sigmoid", ".safetensors" },
    };

    private static string Fixture(string name) => Path.Combine(TestData.RepositoryRoot, "tests", "fixtures", "models", name);

    private static Activation[] ActivationsOf(string model) => ModelFile.ParseActivations(File.ReadAllText(Fixture(model + ".activations.txt")).Trim());

    /// <summary>
    /// Within 1e-5 of torch's float64 outputs (relative above 1). The float32 error of a layer is within
    /// k u sum|a w| with k at most 13 and u = 2^-24: about 1e-6 for these weights and inputs, so 1e-5 leaves room
    /// for three layers and the activations' few ulp, and still catches a transposed or misordered layer.
    /// </summary>
    private static void AssertMatchesTorch(Network network, string inputs, string outputs)
    {
        TensorData x = Npy.Read(Fixture(inputs));
        TensorData y = Npy.Read(Fixture(outputs));
        var got = new float[y.Floats!.Length];
        network.Predict(x.Floats, got, network.CreateWorkspace());
        float[] expected = y.Floats;
        double worst = 0;
        for (int i = 0; i < got.Length; i++)
        {
            worst = Math.Max(worst, Math.Abs(got[i] - expected[i]) / Math.Max(1, Math.Abs(expected[i])));
        }

        Assert.True(worst <= 1e-5, $"max difference from torch {worst:E2}");
    }

    [Theory]
    [MemberData(nameof(Models))]
    public void A_state_dict_gives_torchs_outputs(string model, string extension)
    {
        Network network = ModelFile.Load(Fixture(model + extension), ActivationsOf(model));
        AssertMatchesTorch(network, model + ".x.npy", model + ".y.npy");
    }

    [Fact]
    public void Layers_follow_module_order_and_are_transposed()
    {
        ModelSource source = ModelFile.Open(Fixture("seq_relu.pt"));
        Assert.Equal(FileKind.PyTorch, source.Kind);
        Assert.Null(source.Activations);
        Assert.Equal(["0.weight", "2.weight", "4.weight"], source.Chain.Select(l => l.Weight));
        Assert.All(source.Chain, l => Assert.True(l.Transposed));
        Assert.Equal([7, 13, 5], source.Chain.Select(l => l.Inputs));
        Assert.Equal("0.weight [13x7]^T + 0.bias: 7 -> 13", source.Chain[0].ToString());
    }

    [Fact]
    public void A_state_dict_without_activations_asks_for_them()
    {
        var e = Assert.Throws<NnSimdFormatException>(() => ModelFile.Load(Fixture("named_mixed.pt")));
        Assert.Contains("names no activations: give one per layer (3 layers), e.g. relu,relu,softmax", e.Message);
    }

    [Theory]
    [InlineData("dtype_f64.pt", TensorDType.F64)]
    [InlineData("dtype_f16.pt", TensorDType.F16)]
    [InlineData("dtype_bf16.pt", TensorDType.BF16)]
    public void Other_float_types_are_widened_to_float32_and_say_so(string file, TensorDType dtype)
    {
        // The float64 file holds the float32 weights exactly; the 16-bit ones are those weights rounded to
        // nearest even, as torch's .half() and .bfloat16() round.
        IReadOnlyList<TensorData> exact = PyTorchFile.Read(Fixture("dtype_f64.pt"));
        IReadOnlyList<TensorData> read = PyTorchFile.Read(Fixture(file));
        Assert.All(read, t => Assert.Equal(dtype, t.SourceDType));
        for (int i = 0; i < exact.Count; i++)
        {
            float[] expected = exact[i].Floats!.Select(v => dtype switch
            {
                TensorDType.F16 => (float)(Half)v,
                TensorDType.BF16 => RoundToBFloat16(v),
                _ => v,
            }).ToArray();
            Assert.Equal(expected, read[i].Floats);
        }
    }

    private static float RoundToBFloat16(float v)
    {
        uint bits = BitConverter.SingleToUInt32Bits(v);
        bits += 0x7FFF + ((bits >> 16) & 1);
        return BitConverter.UInt32BitsToSingle(bits & 0xFFFF0000);
    }

    [Fact]
    public void Views_and_shared_storages_read_as_their_values()
    {
        // views.pt: a transposed (strided) weight, and two biases sliced from one storage.
        Network fromViews = ModelFile.Load(Fixture("views.pt"), [Activation.Tanh, Activation.Identity]);
        Network plain = ModelFile.Load(Fixture("dtype_f64.pt"), [Activation.Tanh, Activation.Identity]);
        Assert.Equal(plain.Layers[0].GetWeights(), fromViews.Layers[0].GetWeights());
        Assert.Equal(plain.Layers[1].Bias.ToArray(), fromViews.Layers[1].Bias.ToArray());
        AssertMatchesTorch(fromViews, "variants.x.npy", "variants.y.npy");
    }

    [Fact]
    public void A_whole_pickled_model_is_refused_by_name_without_running_it()
    {
        var e = Assert.Throws<NnSimdFormatException>(() => ModelFile.Open(Fixture("whole_model.pt")));
        Assert.Contains("refusing global 'torch.nn.modules.container.Sequential'", e.Message);
        Assert.Contains("save model.state_dict() instead", e.Message);
    }

    [Fact]
    public void The_legacy_format_is_named_and_refused()
    {
        Assert.Equal(FileKind.PyTorchLegacy, FileFormat.Detect(Fixture("legacy.pt")));
        var e = Assert.Throws<NnSimdFormatException>(() => ModelFile.Open(Fixture("legacy.pt")));
        Assert.Contains("legacy format", e.Message);
    }

    /// <summary>A copy of a real torch file with one member replaced (or added), written as torch writes: stored.</summary>
    private static string Edited(string fixture, Func<string, byte[], byte[]?> edit, params (string Name, byte[] Data)[] extra)
    {
        string path = Path.Combine(TestData.TempDirectory(), "edited.pt");
        using (ZipArchive source = ZipFile.OpenRead(Fixture(fixture)))
        using (ZipArchive target = ZipFile.Open(path, ZipArchiveMode.Create))
        {
            foreach (ZipArchiveEntry entry in source.Entries)
            {
                using var buffer = new MemoryStream();
                using (Stream s = entry.Open())
                {
                    s.CopyTo(buffer);
                }

                if (edit(entry.FullName, buffer.ToArray()) is { } data)
                {
                    using Stream w = target.CreateEntry(entry.FullName, CompressionLevel.NoCompression).Open();
                    w.Write(data);
                }
            }

            foreach ((string name, byte[] data) in extra)
            {
                using Stream w = target.CreateEntry(name, CompressionLevel.NoCompression).Open();
                w.Write(data);
            }
        }

        return path;
    }

    [Fact]
    public void A_pickle_that_calls_os_system_is_refused_and_nothing_runs()
    {
        string marker = Path.Combine(TestData.TempDirectory(), "ran");
        // GLOBAL 'os system', the command as a string, TUPLE1, REDUCE, STOP.
        byte[] evil = [0x80, 2, .. "cos\nsystem\n"u8.ToArray(), (byte)'X', .. BitConverter.GetBytes(6 + marker.Length), .. Encoding.ASCII.GetBytes("touch " + marker), 0x85, (byte)'R', (byte)'.'];
        string path = Edited("seq_sigmoid.pt", (name, data) => name.EndsWith("/data.pkl", StringComparison.Ordinal) ? evil : data);
        var e = Assert.Throws<NnSimdFormatException>(() => ModelFile.Open(path));
        Assert.Contains("refusing global 'os.system'", e.Message);
        Assert.False(File.Exists(marker));
    }

    [Fact]
    public void A_member_that_climbs_out_of_the_archive_is_refused()
    {
        string path = Edited("seq_sigmoid.pt", (_, data) => data, ("seq_sigmoid/../../evil", [1, 2, 3]));
        var e = Assert.Throws<NnSimdFormatException>(() => ModelFile.Open(path));
        Assert.Contains("points outside the archive", e.Message);
    }

    [Fact]
    public void A_zip_bomb_stops_at_the_budget()
    {
        // 256 MiB of zeros deflate to about 256 KiB: the budget (64 x the file) is reached long before the end.
        string path = Path.Combine(TestData.TempDirectory(), "bomb.pt");
        using (ZipArchive zip = ZipFile.Open(path, ZipArchiveMode.Create))
        {
            using (Stream w = zip.CreateEntry("bomb/data.pkl", CompressionLevel.SmallestSize).Open())
            {
                var zeros = new byte[1 << 20];
                for (int i = 0; i < 256; i++)
                {
                    w.Write(zeros);
                }
            }
        }

        long before = GC.GetAllocatedBytesForCurrentThread();
        var e = Assert.Throws<NnSimdFormatException>(() => PyTorchFile.Read(path));
        Assert.Contains("zip bomb", e.Message);
        Assert.True(GC.GetAllocatedBytesForCurrentThread() - before < 128L << 20, "the reader kept inflating");
    }

    [Fact]
    public void A_storage_shorter_than_its_tensors_is_refused()
    {
        string path = Edited("seq_sigmoid.pt", (name, data) => name.EndsWith("/data/0", StringComparison.Ordinal) ? data[..8] : data);
        var e = Assert.Throws<NnSimdFormatException>(() => ModelFile.Open(path));
        Assert.Contains("storage '0' holds 2 elements but the pickle says", e.Message);
    }

    [Fact]
    public void A_stride_past_the_end_of_its_storage_is_refused()
    {
        // views.pt's first tensor is 3x5 with strides (1, 3) over 15 elements: strides (1, 9) would reach element 38.
        byte[] strides = [(byte)'K', 1, (byte)'K', 3, 0x86];
        string path = Edited("views.pt", (name, data) =>
        {
            if (!name.EndsWith("/data.pkl", StringComparison.Ordinal))
            {
                return data;
            }

            int at = data.AsSpan().IndexOf(strides);
            Assert.True(at > 0 && data.AsSpan(at + 1).IndexOf(strides) < 0, "the fixture's stride bytes are not where expected");
            byte[] copy = data.ToArray();
            copy[at + 3] = 9;
            return copy;
        });
        var e = Assert.Throws<NnSimdFormatException>(() => ModelFile.Open(path));
        Assert.Contains("reaches element 38, past the end of storage '0' (15 elements)", e.Message);
    }

    [Fact]
    public void PyTorch_names_that_do_not_form_a_chain_are_refused_with_the_names_found()
    {
        string dir = TestData.TempDirectory();
        TensorData W(string name, int rows, int cols) => TensorData.FromFloats(name, [rows, cols], new float[rows * cols]);
        TensorData B(string name, int n) => TensorData.FromFloats(name, [n], new float[n]);
        (TensorData[] Tensors, string Expected)[] cases =
        [
            ([W("fc1.weight", 4, 3), B("fc1.bias", 4), W("fc2.weight", 2, 5), B("fc2.bias", 2)], "fc2.weight takes 5 inputs but fc1.weight gives 4 outputs"),
            ([W("fc1.weight", 4, 3), B("fc1.bias", 4), W("fc2.weight", 2, 4)], "fc2.weight has no bias fc2.bias"),
            ([W("fc1.weight", 4, 3), B("fc1.bias", 4), B("bn1.bias", 4)], "bn1.bias has no bn1.weight"),
            ([W("fc1.weight", 4, 3), B("fc1.bias", 4), B("bn1.running_mean", 4)], "'bn1.running_mean' is neither"),
            ([W("fc1.weight", 4, 3), B("fc1.bias", 4), B("step", 1)], "'step' is neither"),
        ];
        foreach ((TensorData[] tensors, string expected) in cases)
        {
            string path = Path.Combine(dir, "m.safetensors");
            SafeTensors.Write(path, tensors);
            var e = Assert.Throws<NnSimdFormatException>(() => ModelFile.Open(path));
            Assert.Contains(expected, e.Message);
            Assert.Contains("Tensors found: fc1.weight 4x3, fc1.bias 4", e.Message);
        }
    }

    [Fact]
    public void Layers_of_a_safetensors_file_come_in_natural_order()
    {
        // A header's order is not the modules'; names with numbers sort as numbers (layers.2 before layers.10).
        string path = Path.Combine(TestData.TempDirectory(), "m.safetensors");
        int[] widths = [3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 2];
        var tensors = new List<TensorData>();
        for (int i = widths.Length - 2; i >= 0; i--)
        {
            tensors.Add(TensorData.FromFloats($"layers.{i}.weight", [widths[i + 1], widths[i]], new float[widths[i + 1] * widths[i]]));
            tensors.Add(TensorData.FromFloats($"layers.{i}.bias", [widths[i + 1]], new float[widths[i + 1]]));
        }

        SafeTensors.Write(path, tensors);
        Assert.Equal(widths[..^1], ModelFile.Open(path).Chain.Select(l => l.Inputs));
    }
}
