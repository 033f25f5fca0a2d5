using System.Diagnostics;
using Xunit;

namespace NnSimd.Cli.Tests;

/// <summary>The nnsimd command end to end, as a user runs it: a separate process, its exit code and its output.</summary>
public class CliTests
{
    /// <summary>A refused command line: exit code 1, nothing on stdout, one line on stderr naming <paramref name="expected"/>.</summary>
    internal static void AssertOneLineError((int Code, string Out, string Err) run, string expected)
    {
        Assert.Equal(1, run.Code);
        Assert.Empty(run.Out);
        Assert.StartsWith("nnsimd: error: ", run.Err);
        Assert.Single(run.Err.TrimEnd().Split('\n'));
        Assert.Contains(expected, run.Err);
    }

    internal static (int Code, string Out, string Err) Run(params string[] args) => RunIn(null, null, args);

    /// <summary>The CLI in <paramref name="directory"/> (null: this process's), with one environment variable set if given.</summary>
    internal static (int Code, string Out, string Err) RunIn(string? directory, (string Name, string Value)? variable, params string[] args)
    {
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        if (directory is not null)
        {
            info.WorkingDirectory = directory;
        }

        if (variable is { } v)
        {
            info.Environment[v.Name] = v.Value;
        }

        info.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "NnSimd.Cli.dll"));
        foreach (string a in args)
        {
            info.ArgumentList.Add(a);
        }

        using Process p = Process.Start(info)!;
        Task<string> stdout = p.StandardOutput.ReadToEndAsync();
        Task<string> stderr = p.StandardError.ReadToEndAsync();
        Assert.True(p.WaitForExit(120_000), "nnsimd did not finish");
        return (p.ExitCode, stdout.Result, stderr.Result);
    }

    [Fact]
    public void Mnist_prints_0_9352_both_ways_as_json()
    {
        (int code, string output, string error) = Run("mnist", "--data", TestData.Directory, "--offline", "--json");
        Assert.True(code == 0, error);
        Assert.Contains("\"accuracy_single\": 0.9352", output);
        Assert.Contains("\"accuracy_batched\": 0.9352", output);
        Assert.Contains("\"simd\": \"" + SimdInfo.Path + "\"", output);
    }

    [Fact]
    public void Convert_writes_a_model_and_never_overwrites_its_input()
    {
        string dir = TestData.TempDirectory();
        string model = Path.Combine(dir, "book.safetensors");
        (int code, _, string error) = Run("convert", TestData.SampleWeights, "-o", model);
        Assert.True(code == 0, error);
        (code, string output, _) = Run("inspect", model, "--json");
        Assert.Equal(0, code);
        Assert.Contains("\"784x50\"", output);

        byte[] before = File.ReadAllBytes(model);
        (code, _, error) = Run("convert", model, "-o", model);
        Assert.Equal(1, code);
        Assert.Contains("refusing to overwrite", error);
        Assert.Equal(before, File.ReadAllBytes(model));
    }

    [Fact]
    public void Errors_are_one_line_on_stderr_with_a_non_zero_exit()
    {
        string bad = Path.Combine(TestData.TempDirectory(), "bad.safetensors");
        File.WriteAllBytes(bad, [1, 2, 3]);
        (int code, string output, string error) = Run("inspect", bad);
        Assert.Equal(1, code);
        Assert.Empty(output);
        Assert.StartsWith("nnsimd: error: ", error);
        Assert.Single(error.TrimEnd().Split('\n'));
        Assert.DoesNotContain("   at ", error);
    }
}

public class TrainCliTests
{
    [Fact]
    public async Task A_stopped_training_run_leaves_no_model_file_behind()
    {
        Assert.True(File.Exists("/usr/share/datasets/fashion-mnist/train-images-idx3-ubyte.gz"),
            "Fashion-MNIST is missing: apt-get install dataset-fashion-mnist (.ci/run does).");
        string dir = TestData.TempDirectory();
        string model = Path.Combine(dir, "model.safetensors");
        var info = new System.Diagnostics.ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (string a in new[] { Path.Combine(AppContext.BaseDirectory, "NnSimd.Cli.dll"), "train", "--epochs", "50", "-o", model })
        {
            info.ArgumentList.Add(a);
        }

        using var p = System.Diagnostics.Process.Start(info)!;
        // Stop it once training has begun (the first epoch line), or after a few seconds at most.
        try
        {
            await p.StandardOutput.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(60));
        }
        catch (TimeoutException)
        {
            // Slow path (scalar): stop it mid-epoch instead.
        }

        p.Kill(entireProcessTree: true);
        p.WaitForExit();
        Assert.Empty(Directory.GetFiles(dir));
    }
}
