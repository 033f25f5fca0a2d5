using System.IO.Compression;
using NnSimd.IO;
using Xunit;

namespace NnSimd.Cli.Tests.Checks;

/// <summary>
/// The checks every command makes before it starts, as parse errors: clashing paths in every spelling, output
/// folders and extensions, files that are folders, and the ranges of numeric options. Parsing runs the checks
/// without running the command, so these need no process and no data.
/// </summary>
public class CommandLineChecksTests
{
    private readonly string _dir = TestData.TempDirectory();

    private string Model => Existing("m.safetensors");

    private string Input => Existing("x.npy");

    private string Existing(string name)
    {
        string path = Path.Combine(_dir, name);
        if (!File.Exists(path))
        {
            File.WriteAllBytes(path, [1, 2, 3]);
        }

        return path;
    }

    private static List<string> Errors(params string[] args) =>
        CliApp.CreateRoot().Parse(args).Errors.Select(e => e.Message).ToList();

    private static string Error(params string[] args)
    {
        List<string> errors = Errors(args);
        Assert.True(errors.Count > 0, $"nnsimd {string.Join(' ', args)} was accepted");
        return string.Join(" | ", errors);
    }

    [Fact]
    public void A_valid_command_line_has_no_errors()
    {
        Assert.Empty(Errors("predict", "--weights", Model, "--input", Input, "--output", Path.Combine(_dir, "y.npy")));
        Assert.Empty(Errors("train", "-o", Path.Combine(_dir, "t.safetensors"), "--plot", Path.Combine(_dir, "t.png"), "--threads", "1"));
        Assert.Empty(Errors("convert", Model, "-o", Path.Combine(_dir, "c.safetensors")));
    }

    [Fact]
    public void Predict_refuses_to_write_over_its_model()
    {
        string error = Error("predict", "--weights", Model, "--input", Input, "--output", Model);
        Assert.Contains("--output", error);
        Assert.Contains("--weights", error);
        Assert.Contains("refusing to overwrite", error);
    }

    [Fact]
    public void Predict_refuses_to_write_over_its_input()
    {
        Assert.Contains("refusing to overwrite", Error("predict", "--weights", Model, "--input", Input, "--output", Input));
    }

    [Theory]
    [InlineData("{0}/./x.npy")]
    [InlineData("{0}//x.npy")]
    [InlineData("{0}/sub/../x.npy")]
    [InlineData("{0}/../{1}/x.npy")]
    public void A_clash_is_found_whatever_the_spelling(string spelling)
    {
        _ = Input;
        Directory.CreateDirectory(Path.Combine(_dir, "sub"));
        string output = string.Format(System.Globalization.CultureInfo.InvariantCulture, spelling, _dir, Path.GetFileName(_dir));
        Assert.Contains("refusing to overwrite", Error("predict", "--weights", Model, "--input", Input, "--output", output));
    }

    [Fact]
    public void A_clash_through_a_symbolic_link_is_found()
    {
        string link = Path.Combine(_dir, "link.npy");
        File.CreateSymbolicLink(link, Input);
        string error = Error("predict", "--weights", Model, "--input", Input, "--output", link);
        Assert.Contains("same file", error);
    }

    [Fact]
    public void A_clash_through_a_linked_folder_is_found()
    {
        string folder = Path.Combine(_dir, "real");
        Directory.CreateDirectory(folder);
        string model = Path.Combine(folder, "m.safetensors");
        File.WriteAllBytes(model, [1]);
        string alias = Path.Combine(_dir, "alias");
        Directory.CreateSymbolicLink(alias, folder);
        Assert.Contains("refusing to overwrite", Error("convert", Path.Combine(alias, "m.safetensors"), "-o", model));
    }

    [Fact]
    public void Dot_dot_after_a_link_is_taken_from_the_link_target_as_the_system_does()
    {
        // deep/link -> other/inner, so deep/link/../x.npy is other/x.npy, not deep/x.npy.
        string other = Path.Combine(_dir, "other");
        Directory.CreateDirectory(Path.Combine(other, "inner"));
        string input = Path.Combine(other, "x.npy");
        File.WriteAllBytes(input, [1]);
        Directory.CreateDirectory(Path.Combine(_dir, "deep"));
        Directory.CreateSymbolicLink(Path.Combine(_dir, "deep", "link"), Path.Combine(other, "inner"));
        string spelled = Path.Combine(_dir, "deep", "link", "..", "x.npy");
        Assert.Contains("refusing to overwrite", Error("predict", "--weights", Model, "--input", input, "--output", spelled));
    }

    [Fact]
    public void Two_outputs_may_not_name_one_file()
    {
        string model = Path.Combine(_dir, "cur.safetensors");
        string link = Path.Combine(_dir, "cur.png");
        File.CreateSymbolicLink(link, model);
        string error = Error("train", "-o", model, "--plot", link);
        Assert.Contains("--plot", error);
        Assert.Contains("each output needs a file of its own", error);
    }

    [Fact]
    public void Train_refuses_a_model_path_that_is_a_png()
    {
        string png = Path.Combine(_dir, "cur.png");
        Assert.Contains("--plot " + png + " is the --output file too", Error("train", "-o", png, "--plot", png));
        Assert.Contains("does not end in .safetensors", Error("train", "-o", png));
    }

    [Theory]
    [InlineData("convert", "out.npy", ".safetensors")]
    [InlineData("predict", "out.safetensors", ".npy")]
    [InlineData("train", "out.npy", ".safetensors")]
    [InlineData("show", "out.jpg", ".png")]
    public void An_output_is_named_for_what_is_written_into_it(string command, string output, string extension)
    {
        string path = Path.Combine(_dir, output);
        string[] args = command switch
        {
            "convert" => ["convert", Model, "-o", path],
            "predict" => ["predict", "--weights", Model, "--input", Input, "--output", path],
            _ => [command, "-o", path],
        };
        Assert.Contains($"does not end in {extension}", Error(args));
    }

    [Fact]
    public void An_output_folder_that_does_not_exist_is_refused_before_work_starts()
    {
        string missing = Path.Combine(_dir, "no", "such", "m.safetensors");
        string error = Error("train", "-o", missing);
        Assert.Contains("does not exist", error);
        Assert.False(Directory.Exists(Path.Combine(_dir, "no")));
    }

    [Fact]
    public void An_output_inside_a_file_is_refused()
    {
        Assert.Contains("is a file, not a folder", Error("train", "-o", Path.Combine(Model, "m.safetensors")));
    }

    [Fact]
    public void An_output_that_is_a_folder_is_refused()
    {
        string folder = Path.Combine(_dir, "d.safetensors");
        Directory.CreateDirectory(folder);
        Assert.Contains("is a directory", Error("train", "-o", folder));
    }

    [Fact]
    public void A_folder_given_as_an_input_file_is_named_as_a_folder()
    {
        Assert.Contains("is a directory, not a file", Error("predict", "--weights", _dir, "--input", Input, "--output", Path.Combine(_dir, "y.npy")));
        Assert.Contains("is a directory, not a file", Error("inspect", _dir));
        Assert.Contains("is a directory, not a file", Error("convert", _dir, "-o", Path.Combine(_dir, "c.safetensors")));
        Assert.Contains("does not exist", Error("inspect", Path.Combine(_dir, "none.npy")));
    }

    [Theory]
    [InlineData("-1")]
    [InlineData("0")]
    [InlineData("1000")]
    public void Predict_threads_are_checked(string threads)
    {
        string error = Error("predict", "--weights", Model, "--input", Input, "--output", Path.Combine(_dir, "y.npy"), "--threads", threads);
        Assert.Contains($"--threads {threads} is not a whole number from 1 to {Environment.ProcessorCount}", error);
    }

    [Theory]
    [InlineData("--threads", "-1", "--threads -1 is not a whole number from 1 to")]
    [InlineData("--threads", "0", "--threads 0 is not a whole number from 1 to")]
    [InlineData("--lr", "-1", "--lr -1 is not a number greater than 0 and below 10")]
    [InlineData("--lr", "0", "--lr 0 is not a number greater than 0")]
    [InlineData("--lr", "NaN", "--lr NaN is not a number greater than 0")]
    [InlineData("--lr", "fast", "--lr fast is not a number greater than 0")]
    [InlineData("--momentum", "1", "--momentum 1 is not a number from 0 below 1")]
    [InlineData("--batch", "0", "--batch 0 is not a whole number from 1 to 60000")]
    [InlineData("--batch", "many", "--batch many is not a whole number from 1 to 60000")]
    [InlineData("--epochs", "0", "--epochs 0 is not a whole number from 1 to 10000")]
    [InlineData("--layers", "784,abc,10", "'abc' is not a width")]
    [InlineData("--layers", "784", "needs at least two widths")]
    public void Train_options_are_checked(string option, string value, string expected)
    {
        string error = Error("train", "-o", Path.Combine(_dir, "t.safetensors"), option, value);
        Assert.Contains(expected, error);
    }

    [Theory]
    [InlineData("mnist", "--batch", "0")]
    [InlineData("mnist", "--threads", "0")]
    [InlineData("show", "--index", "-1")]
    [InlineData("bench", "--threads", "0")]
    public void Other_numeric_options_are_checked(string command, string option, string value)
    {
        string[] args = command == "show" ? [command, "-o", Path.Combine(_dir, "s.png"), option, value] : [command, option, value];
        Assert.Contains($"{option} {value} is not a whole number from", Error(args));
    }

    [Fact]
    public void Bench_seconds_are_checked()
    {
        Assert.Contains("--seconds 0 is not a number greater than 0", Error("bench", "--seconds", "0"));
    }

    [Fact]
    public void Every_check_fits_on_one_line()
    {
        string[][] lines =
        [
            ["train", "--batch", "0", "-o", Path.Combine(_dir, "a.safetensors")],
            ["predict", "--weights", _dir, "--input", Input, "--output", Model],
            ["train", "-o", Path.Combine(_dir, "x", "y.safetensors")],
        ];
        foreach (string[] line in lines)
        {
            Assert.All(Errors(line), e => Assert.DoesNotContain('\n', e));
        }
    }

    [Fact]
    public void A_model_is_recognised_by_its_bytes_not_its_name()
    {
        // The book's arrays as an .npz (the old reader took any non-.pkl for safetensors and read a bogus header length).
        string npz = Path.Combine(_dir, "book.weights");
        IReadOnlyList<TensorData> arrays = NnSimd.Cli.TensorFiles.Read(TestData.SampleWeights);
        using (ZipArchive zip = ZipFile.Open(npz, ZipArchiveMode.Create))
        {
            foreach (TensorData t in arrays)
            {
                string member = Path.Combine(_dir, t.Name + ".npy");
                Npy.Write(member, t.Floats!, t.Shape);
                zip.CreateEntryFromFile(member, t.Name + ".npy");
            }
        }

        NnSimd.Model.Network fromNpz = ModelLoader.Load(npz);
        NnSimd.Model.Network fromPickle = ModelLoader.Load(TestData.SampleWeights);
        Assert.Equal(fromPickle.ToString(), fromNpz.ToString());
        Assert.Equal(fromPickle.Layers[0].GetWeights(), fromNpz.Layers[0].GetWeights());

        string labels = Path.Combine(TestData.Directory, "mnist", "t10k-labels-idx1-ubyte.gz");
        var e = Assert.Throws<NnSimdFormatException>(() => ModelLoader.Load(labels));
        Assert.Contains("is a gzip file, not a model", e.Message);
        string npy = Path.Combine(_dir, "W1.npy");
        e = Assert.Throws<NnSimdFormatException>(() => ModelLoader.Load(npy));
        Assert.Contains("is a NumPy .npy array (one tensor), not a model", e.Message);
    }
}
