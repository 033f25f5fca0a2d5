using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using NnSimd.Model;
using Xunit;

namespace NnSimd.Tests;

/// <summary>
/// The README as a contract: every <c>```csharp</c> block is compiled on its own, exactly as written, as the
/// Program.cs of a console app, run in a process of its own, and its output checked against the values the
/// block states in its comments.
/// </summary>
public partial class ReadmeExampleTests
{
    // 10 epochs take minutes on the scalar path; the block keeps its count in one visible line so that a test
    // run can shorten it without touching anything else.
    private const string EpochLine = "int epochs = 10;";

    public static TheoryData<int> Blocks()
    {
        var data = new TheoryData<int>();
        for (int i = 0; i < ReadmeSnippets.Read().Count; i++)
        {
            data.Add(i);
        }

        return data;
    }

    [Fact]
    public void The_readme_has_its_library_examples_and_its_test_command()
    {
        IReadOnlyList<ReadmeSnippets.Block> blocks = ReadmeSnippets.Read();
        Assert.Equal(7, blocks.Count);
        Assert.Contains(blocks, b => b.Code.Contains("// the book, in float64: 0.31682708, 0.69627909", StringComparison.Ordinal)
            && b.Code.Contains("// first row: [0.316827, 0.696279]", StringComparison.Ordinal));
        Assert.Single(blocks, b => b.Code.Contains(EpochLine, StringComparison.Ordinal));

        string readme = File.ReadAllText(Path.Combine(TestData.RepositoryRoot, "README.md"));
        Assert.Contains("dotnet test NnSimd.sln -c Release", readme);
    }

    [Theory]
    [MemberData(nameof(Blocks))]
    public void Each_csharp_block_compiles_and_runs_as_written(int index)
    {
        ReadmeSnippets.Block block = ReadmeSnippets.Read()[index];
        string code = block.Code.Replace(EpochLine, "int epochs = 1;", StringComparison.Ordinal);

        // What the blocks expect to find: the book's model converted as `nnsimd convert` does, the data folder.
        string dir = TestData.TempDirectory();
        ModelFile.Save(ModelFile.Load(TestData.SampleWeights, [Activation.Sigmoid, Activation.Sigmoid, Activation.Softmax]), Path.Combine(dir, "book.safetensors"));
        foreach (string made in ReadmeModelFiles)
        {
            File.Copy(Path.Combine(FixtureFolder, made), Path.Combine(dir, made));
        }

        string program = SnippetCompiler.Compile(code, block.Line, dir);
        (int exitCode, string output, string error) = Run(program, dir);
        Assert.True(exitCode == 0, $"README.md block at line {block.Line} exited with {exitCode}:\n{error}\n{output}");

        string[] lines = output.Split('\n', StringSplitOptions.TrimEntries);
        int from = 0;
        foreach (string expected in StatedOutputs(code))
        {
            int at = Array.FindIndex(lines, from, l => l.Contains(expected, StringComparison.Ordinal));
            Assert.True(at >= 0, $"README.md block at line {block.Line} states \"{expected}\" but printed:\n{output}");
            from = at + 1;
        }

        if (code.Contains("TrainEpoch", StringComparison.Ordinal))
        {
            Match accuracy = TestAccuracy().Match(output);
            Assert.True(accuracy.Success, output);
            Assert.InRange(double.Parse(accuracy.Groups[1].Value, CultureInfo.InvariantCulture), 0.8, 1.0);
            Assert.True(File.Exists(Path.Combine(dir, "fashion.safetensors")));
        }
    }

    private static readonly string[] ReadmeModelFiles = ["mlp.pt", "mlp.onnx"];

    private static string FixtureFolder => Path.Combine(TestData.RepositoryRoot, "tests", "fixtures", "models");

    [Fact]
    public void The_readmes_pytorch_script_is_the_one_that_made_the_fixtures()
    {
        string readme = File.ReadAllText(Path.Combine(TestData.RepositoryRoot, "README.md"));
        Match block = PythonBlock().Match(readme);
        Assert.True(block.Success, "README.md has no ```python block");
        Assert.Equal(File.ReadAllText(Path.Combine(FixtureFolder, "readme_model.py")).ReplaceLineEndings("\n"), block.Groups[1].Value.ReplaceLineEndings("\n"));
        Assert.All(ReadmeModelFiles, f => Assert.True(File.Exists(Path.Combine(FixtureFolder, f)), f));
    }

    [Fact]
    public void A_block_with_a_using_after_a_statement_is_refused_with_the_readme_line()
    {
        var error = Assert.Throws<InvalidOperationException>(() =>
            SnippetCompiler.Compile("Console.WriteLine(1);\nusing NnSimd.Training;\n", 170, TestData.TempDirectory()));
        Assert.Contains("README.md(171): CS1529", error.Message);
    }

    /// <summary>The comment after each <c>Console.WriteLine(...);</c>: what that line prints, in order.</summary>
    private static IEnumerable<string> StatedOutputs(string code) =>
        StatedOutput().Matches(code).Select(m => m.Groups[1].Value.Trim());

    private static (int Code, string Out, string Err) Run(string program, string workingDirectory)
    {
        var info = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = workingDirectory,
        };
        info.ArgumentList.Add(program);
        info.Environment["NNSIMD_DATA"] = Path.GetFullPath(TestData.Directory);
        using Process p = Process.Start(info)!;
        Task<string> stdout = p.StandardOutput.ReadToEndAsync();
        Task<string> stderr = p.StandardError.ReadToEndAsync();
        Assert.True(p.WaitForExit(600_000), "the README example did not finish");
        return (p.ExitCode, stdout.Result, stderr.Result);
    }

    [GeneratedRegex(@"Console\.WriteLine\(.*\);\s*//(.*)$", RegexOptions.Multiline)]
    private static partial Regex StatedOutput();

    [GeneratedRegex(@"```python\n(.*?)```", RegexOptions.Singleline)]
    private static partial Regex PythonBlock();

    [GeneratedRegex(@"test accuracy ([0-9.]+)")]
    private static partial Regex TestAccuracy();
}
