using NnSimd.Data;
using Xunit;

namespace NnSimd.Cli.Tests.Data;

/// <summary>The downloader against a real HTTP server on 127.0.0.1 serving a good, a corrupted and a truncated file.</summary>
public sealed class DownloaderTests : IDisposable
{
    private readonly LocalMirror _mirror = new();

    private DataDirectory Directory(string root, string route, bool offline = false) =>
        new(root, offline, f => new Uri($"{_mirror.Prefix}{route}/{f.RelativePath}"));

    [Fact]
    public void A_good_file_is_downloaded_verified_and_renamed_into_place()
    {
        string root = TestData.TempDirectory();
        string path = Directory(root, "good").Get(KnownFiles.TestLabels);
        Assert.Equal(Path.Combine(root, "mnist", "t10k-labels-idx1-ubyte.gz"), path);
        Assert.Equal(LocalMirror.Contents(KnownFiles.TestLabels), File.ReadAllBytes(path));
        Assert.Equal([path], System.IO.Directory.GetFiles(root, "*", SearchOption.AllDirectories));
    }

    [Theory]
    [InlineData("corrupt", "SHA-256")]
    [InlineData("truncated", "")]
    [InlineData("missing", "404")]
    public void A_bad_download_is_rejected_and_leaves_no_file(string route, string expected)
    {
        string root = TestData.TempDirectory();
        var e = Assert.ThrowsAny<IOException>(() => Directory(root, route).Get(KnownFiles.TestLabels));
        Assert.Contains(expected, e.Message);
        Assert.Empty(System.IO.Directory.GetFiles(root, "*", SearchOption.AllDirectories));
    }

    [Theory]
    [InlineData("corrupt")]
    [InlineData("missing")]
    public void A_failed_download_removes_the_folders_it_created_and_only_those(string route)
    {
        string parent = TestData.TempDirectory();
        string root = Path.Combine(parent, "new", "data");
        Assert.ThrowsAny<IOException>(() => Directory(root, route).Get(KnownFiles.TestLabels));
        Assert.Empty(System.IO.Directory.GetFileSystemEntries(parent));

        string existing = Path.Combine(parent, "existing");
        System.IO.Directory.CreateDirectory(Path.Combine(existing, "mnist"));
        Assert.ThrowsAny<IOException>(() => Directory(existing, route).Get(KnownFiles.TestLabels));
        Assert.True(System.IO.Directory.Exists(Path.Combine(existing, "mnist")), "a folder that was there before was removed");
        Assert.Empty(System.IO.Directory.GetFileSystemEntries(Path.Combine(existing, "mnist")));
    }

    [Fact]
    public void Offline_never_downloads()
    {
        string root = TestData.TempDirectory();
        var e = Assert.Throws<MissingDataException>(() => Directory(root, "good", offline: true).Get(KnownFiles.TestLabels));
        Assert.Contains("--offline", e.Message);
        Assert.Empty(System.IO.Directory.GetFiles(root, "*", SearchOption.AllDirectories));
    }

    public void Dispose() => _mirror.Dispose();
}
