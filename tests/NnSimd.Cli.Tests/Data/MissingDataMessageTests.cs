using System.Diagnostics;
using NnSimd.Data;
using Xunit;

namespace NnSimd.Cli.Tests.Data;

/// <summary>
/// What a user without the data sees: one line naming the folder looked in, how it was chosen (--data,
/// $NNSIMD_DATA, the per-user cache) and what was passed over, how to point elsewhere, and what --offline does.
/// Network failures are made on 127.0.0.1 by a port nothing listens on; no test reaches another host.
/// </summary>
public class MissingDataMessageTests
{
    private static Func<string, string?> Environment(string? data, string? mirror = null) =>
        name => name switch
        {
            DataDirectory.Variable => data,
            DataDirectory.MirrorVariable => mirror,
            _ => null,
        };

    [Theory]
    [InlineData("option", null, "option", "from --data; $NNSIMD_DATA is not set; the per-user cache")]
    [InlineData("option", "variable", "option", "from --data; $NNSIMD_DATA=")]
    [InlineData(null, "variable", "variable", "from $NNSIMD_DATA, as no --data was given; the per-user cache")]
    [InlineData(null, null, "cache", "the per-user cache, as no --data was given and $NNSIMD_DATA is not set")]
    public void Offline_a_missing_file_is_named_with_every_place_looked_at(string? option, string? variable, string used, string origin)
    {
        string temp = TestData.TempDirectory();
        string? In(string? name) => name is null ? null : Path.Combine(temp, name);
        DataDirectory data = DataDirectory.Resolve(In(option), offline: true, Environment(In(variable)), In("cache"));

        var e = Assert.Throws<MissingDataException>(() => data.Get(KnownFiles.TestImages));

        Assert.StartsWith($"mnist/t10k-images-idx3-ubyte.gz is not in {In(used)}, which does not exist (", e.Message);
        Assert.Contains(origin, e.Message);
        Assert.Contains(In("cache")!, e.Message);
        if (variable is not null)
        {
            Assert.Contains(In(variable)!, e.Message);
        }

        Assert.Contains("--offline forbids downloading it", e.Message);
        Assert.Contains("point --data or $NNSIMD_DATA at a folder that holds it", e.Message);
        Assert.Single(e.Message.Split('\n'));
        Assert.Empty(Directory.GetFileSystemEntries(temp));
    }

    [Fact]
    public void A_refused_connection_names_the_places_the_error_and_the_options_and_creates_no_folder()
    {
        string temp = TestData.TempDirectory();
        string cache = Path.Combine(temp, "home", ".local", "share", "nnsimd");
        string mirror = $"http://127.0.0.1:{LocalMirror.FreePort()}/";
        DataDirectory data = DataDirectory.Resolve(null, offline: false, Environment(null, mirror), cache);

        var e = Assert.Throws<MissingDataException>(() => data.Get(KnownFiles.SampleWeights));

        Assert.StartsWith($"sample_weight.pkl is not in {cache}, which does not exist (the per-user cache, as no --data was given and $NNSIMD_DATA is not set), and downloading it failed: {mirror}sample_weight.pkl: ", e.Message);
        Assert.Contains("Point --data or $NNSIMD_DATA at a folder that holds it", e.Message);
        Assert.Contains("--offline never downloads", e.Message);
        Assert.Single(e.Message.Split('\n'));
        Assert.Empty(Directory.GetFileSystemEntries(temp));
    }

    [Theory]
    [InlineData("not a url")]
    [InlineData("ftp://127.0.0.1/")]
    public void A_bad_mirror_is_named(string mirror)
    {
        var e = Assert.Throws<IOException>(() => DataDirectory.Resolve(null, offline: false, Environment(null, mirror), TestData.TempDirectory()));
        Assert.Equal($"$NNSIMD_MIRROR={mirror}: not an http:// or https:// URL.", e.Message);
    }

    [Theory]
    [InlineData("show", "-o", "digit.png")]
    [InlineData("plot", "vanishing", "-o", "v.png")]
    [InlineData("mnist", "--data", "../shared/data", "--json")]
    public async Task The_cli_without_data_prints_one_line_and_leaves_no_folder(params string[] args)
    {
        string temp = TestData.TempDirectory();
        string home = Path.Combine(temp, "home");
        string work = Path.Combine(temp, "repo");
        Directory.CreateDirectory(home);
        Directory.CreateDirectory(work);
        var info = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = work,
        };
        info.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "NnSimd.Cli.dll"));
        foreach (string a in args)
        {
            info.ArgumentList.Add(a);
        }

        info.Environment["HOME"] = home;
        info.Environment.Remove("XDG_DATA_HOME");
        info.Environment.Remove(DataDirectory.Variable);
        info.Environment[DataDirectory.MirrorVariable] = $"http://127.0.0.1:{LocalMirror.FreePort()}/";

        using Process p = Process.Start(info)!;
        Task<string> stdout = p.StandardOutput.ReadToEndAsync();
        Task<string> stderr = p.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        await p.WaitForExitAsync(timeout.Token);
        string error = await stderr;

        Assert.Equal(1, p.ExitCode);
        Assert.Empty(await stdout);
        Assert.StartsWith("nnsimd: error: ", error);
        Assert.Single(error.TrimEnd().Split('\n'));
        Assert.Contains("--data", error);
        Assert.Contains("$NNSIMD_DATA", error);
        Assert.Contains("--offline", error);
        Assert.Contains(args.Contains("--data") ? Path.Combine(temp, "shared", "data") : Path.Combine(home, ".local", "share", "nnsimd"), error);
        Assert.Empty(Directory.GetFileSystemEntries(home));
        Assert.Equal([home, work], Directory.GetFileSystemEntries(temp).Order());
    }
}
