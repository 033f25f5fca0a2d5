using NnSimd.IO;
using Xunit;

namespace NnSimd.Tests.IO;

/// <summary>Every file NnSimd writes is either the old one or the whole new one.</summary>
public class AtomicFileTests
{
    [Fact]
    public void An_interrupted_write_leaves_the_old_file_and_no_temporary()
    {
        string dir = TestData.TempDirectory();
        string path = Path.Combine(dir, "keep.bin");
        File.WriteAllText(path, "old");
        Assert.Throws<InvalidOperationException>(() => AtomicFile.Write(path, s =>
        {
            s.Write(new byte[100]);
            throw new InvalidOperationException("stopped");
        }));
        Assert.Equal("old", File.ReadAllText(path));
        Assert.Equal([path], Directory.GetFiles(dir));
    }
}
