namespace NnSimd.Tests;

/// <summary>The <c>```csharp</c> blocks of README.md, each with the line its code starts on.</summary>
internal static class ReadmeSnippets
{
    public sealed record Block(int Line, string Code);

    public static IReadOnlyList<Block> Read()
    {
        string[] lines = File.ReadAllLines(Path.Combine(TestData.RepositoryRoot, "README.md"));
        var blocks = new List<Block>();
        for (int i = 0; i < lines.Length; i++)
        {
            if (lines[i].Trim() != "```csharp")
            {
                continue;
            }

            int end = Array.FindIndex(lines, i + 1, l => l.Trim() == "```");
            if (end < 0)
            {
                throw new InvalidOperationException($"README.md: the csharp block at line {i + 1} is never closed.");
            }

            blocks.Add(new Block(i + 2, string.Join('\n', lines[(i + 1)..end])));
            i = end;
        }

        return blocks;
    }
}
