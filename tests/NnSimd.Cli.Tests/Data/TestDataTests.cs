using NnSimd.Data;
using Xunit;

namespace NnSimd.Cli.Tests.Data;

/// <summary>
/// Where the tests get their data, in order: NNSIMD_DATA, ../shared/data beside the repository, the per-user
/// cache filled by a verified download. Downloads come from a server on 127.0.0.1, never from the internet;
/// a port nothing listens on stands for a machine without network.
/// </summary>
public sealed class TestDataTests
{
    private static readonly string Offline = $"http://127.0.0.1:{LocalMirror.FreePort()}/";

    private static Func<string, string?> Environment(string? data, string? mirror) =>
        name => name switch
        {
            DataDirectory.Variable => data,
            DataDirectory.MirrorVariable => mirror,
            _ => null,
        };

    /// <summary>A folder with (empty) files under every needed name: the resolution only looks for names.</summary>
    private static string FolderWithTheFiles(string parent, string name)
    {
        string dir = Path.Combine(parent, name);
        foreach (KnownFile file in TestData.Needed)
        {
            Directory.CreateDirectory(Path.GetDirectoryName(Path.Combine(dir, file.RelativePath))!);
            File.WriteAllBytes(Path.Combine(dir, file.RelativePath), []);
        }

        return dir;
    }

    [Fact]
    public void Nnsimd_data_comes_first()
    {
        string temp = TestData.TempDirectory();
        string variable = FolderWithTheFiles(temp, "variable");
        string shared = FolderWithTheFiles(temp, "shared");
        Assert.Equal(variable, TestData.Resolve(Environment(variable, Offline), shared, Path.Combine(temp, "cache")));
        Assert.False(Directory.Exists(Path.Combine(temp, "cache")));
    }

    [Fact]
    public void Shared_data_beside_the_repository_comes_before_the_cache()
    {
        string temp = TestData.TempDirectory();
        string shared = FolderWithTheFiles(temp, "shared");
        FolderWithTheFiles(temp, "cache");
        Assert.Equal(shared, TestData.Resolve(Environment(null, Offline), shared, Path.Combine(temp, "cache")));
    }

    [Fact]
    public void An_incomplete_shared_folder_is_passed_over_for_the_cache()
    {
        string temp = TestData.TempDirectory();
        string shared = FolderWithTheFiles(temp, "shared");
        File.Delete(Path.Combine(shared, KnownFiles.TestLabels.RelativePath));
        string cache = FolderWithTheFiles(temp, "cache");
        Assert.Equal(cache, TestData.Resolve(Environment(null, Offline), shared, cache));
    }

    [Fact]
    public void Without_either_the_cache_is_filled_by_a_verified_download()
    {
        string temp = TestData.TempDirectory();
        string cache = Path.Combine(temp, "cache");
        string shared = Path.Combine(temp, "shared");
        using var mirror = new LocalMirror();
        Assert.Equal(cache, TestData.Resolve(Environment(null, $"{mirror.Prefix}good/"), shared, cache));
        foreach (KnownFile file in TestData.Needed)
        {
            Assert.Equal(LocalMirror.Contents(file), File.ReadAllBytes(Path.Combine(cache, file.RelativePath)));
        }

        // A second run finds what the first fetched, with no network.
        Assert.Equal(cache, TestData.Resolve(Environment(null, Offline), shared, cache));
    }

    [Fact]
    public void Without_data_or_network_the_failure_names_every_place_and_the_download_error()
    {
        string temp = TestData.TempDirectory();
        string shared = Path.Combine(temp, "shared", "data");
        string cache = Path.Combine(temp, "cache");

        var e = Assert.Throws<InvalidOperationException>(() => TestData.Resolve(Environment(null, Offline), shared, cache));

        Assert.Contains("$NNSIMD_DATA (not set)", e.Message);
        Assert.Contains($"../shared/data beside the repository ({shared}: absent)", e.Message);
        Assert.Contains($"the per-user cache {cache}", e.Message);
        Assert.Contains($"sample_weight.pkl is missing there and downloading it failed: {Offline}sample_weight.pkl: ", e.Message);
        Assert.Contains("Set NNSIMD_DATA to a folder holding these files", e.Message);
        Assert.Empty(Directory.GetFileSystemEntries(temp));
    }

    [Fact]
    public void A_set_nnsimd_data_without_the_files_is_named_alone()
    {
        string temp = TestData.TempDirectory();
        string shared = FolderWithTheFiles(temp, "shared");
        string variable = Path.Combine(temp, "variable");
        var e = Assert.Throws<InvalidOperationException>(() => TestData.Resolve(Environment(variable, Offline), shared, cache: null));
        Assert.Contains($"Looked in: $NNSIMD_DATA={variable}. sample_weight.pkl is missing there and downloading it failed", e.Message);
        Assert.False(Directory.Exists(variable));
    }
}
