using NnSimd.Fuzz;
using Xunit;

namespace NnSimd.Tests.Fuzz;

/// <summary>
/// Every input the fuzzers kept (fuzz/corpus/TARGET) and every crash they found (fuzz/crashes/TARGET), run
/// through its target's harness: a parser may refuse a file only with NnSimd's format exception.
/// </summary>
public class ReplayTests
{
    private static string FuzzFolder => Path.Combine(TestData.RepositoryRoot, "fuzz");

    public static TheoryData<string, string> Inputs()
    {
        var data = new TheoryData<string, string>();
        foreach (string kind in new[] { "corpus", "crashes" })
        {
            string root = Path.Combine(FuzzFolder, kind);
            if (!Directory.Exists(root))
            {
                continue;
            }

            foreach (string folder in Directory.GetDirectories(root).Order(StringComparer.Ordinal))
            {
                foreach (string file in Directory.GetFiles(folder).Order(StringComparer.Ordinal))
                {
                    data.Add(Path.GetFileName(folder), Path.GetRelativePath(FuzzFolder, file));
                }
            }
        }

        return data;
    }

    [Fact]
    public void Every_target_has_a_corpus()
    {
        Assert.All(FuzzTargets.All.Keys, t => Assert.NotEmpty(Directory.GetFiles(Path.Combine(FuzzFolder, "corpus", t))));
    }

    [Theory]
    [MemberData(nameof(Inputs))]
    public void A_kept_input_is_parsed_or_refused_with_a_format_error(string target, string file)
    {
        string scratch = Path.Combine(TestData.TempDirectory(), "input");
        FuzzTargets.Run(target, File.ReadAllBytes(Path.Combine(FuzzFolder, file)), scratch);
    }

    [Theory]
    [InlineData("pickle")]
    [InlineData("pt")]
    [InlineData("safetensors")]
    [InlineData("npy")]
    [InlineData("npz")]
    [InlineData("idx")]
    [InlineData("onnx")]
    [InlineData("model")]
    public void Every_truncation_of_a_seed_is_parsed_or_refused_with_a_format_error(string target)
    {
        // The cheapest hostile inputs of all, kept in the normal suite: each seed (the files fuzz/make_corpus.py
        // wrote, named with an extension, unlike the fuzzer's finds) cut short at every 7th byte.
        string scratch = Path.Combine(TestData.TempDirectory(), "input");
        foreach (string file in Directory.GetFiles(Path.Combine(FuzzFolder, "corpus", target)).Where(f => Path.HasExtension(f)))
        {
            byte[] bytes = File.ReadAllBytes(file);
            for (int length = 0; length < bytes.Length; length += 7)
            {
                try
                {
                    FuzzTargets.Run(target, bytes.AsSpan(0, length), scratch);
                }
                catch (Exception e)
                {
                    Assert.Fail($"{Path.GetFileName(file)} cut to {length} bytes: {e.GetType().Name}: {e.Message}");
                }
            }
        }
    }
}
