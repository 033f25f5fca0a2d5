using System.Text.RegularExpressions;
using Xunit;

namespace NnSimd.Tests;

/// <summary>
/// The folders of src/NnSimd depend one way: Internal (the vector widths and loops) is used by Kernels, Kernels and
/// IO (the formats) by Model, all of them by Training, and nothing points back. A namespace (one per folder) can only
/// be reached through a <c>using</c> or a qualified name, so reading the sources for <c>NnSimd.X</c> finds every
/// dependency. A cycle, such as a vector width calling a kernel, fails here.
/// </summary>
public partial class LayeringTests
{
    private static readonly Dictionary<string, string[]> Allowed = new()
    {
        ["Internal"] = [],
        ["Kernels"] = ["Internal"],
        ["IO"] = ["Internal"],
        ["Model"] = ["Internal", "Kernels", "IO"],
        ["Training"] = ["Internal", "Kernels", "IO", "Model"],
    };

    [Theory]
    [InlineData("Internal")]
    [InlineData("Kernels")]
    [InlineData("IO")]
    [InlineData("Model")]
    [InlineData("Training")]
    public void A_folder_uses_only_the_layers_below_it(string folder)
    {
        string root = Path.Combine(TestData.RepositoryRoot, "src", "NnSimd", folder);
        string[] files = Directory.GetFiles(root, "*.cs", SearchOption.AllDirectories);
        Assert.NotEmpty(files);
        var wrong = new List<string>();
        foreach (string file in files)
        {
            foreach (Match m in Reference().Matches(File.ReadAllText(file)))
            {
                string used = m.Groups[1].Value;
                if (used != folder && !Allowed[folder].Contains(used))
                {
                    wrong.Add($"{Path.GetRelativePath(root, file)} uses NnSimd.{used}");
                }
            }
        }

        Assert.True(wrong.Count == 0, $"src/NnSimd/{folder} may use {string.Join(", ", Allowed[folder].DefaultIfEmpty("no other folder"))}: " + string.Join("; ", wrong.Distinct()));
    }

    [GeneratedRegex(@"\bNnSimd\.(Internal|Kernels|IO|Model|Training)\b")]
    private static partial Regex Reference();
}
