using System.Net;
using System.Net.Sockets;
using NnSimd.Cli.Data;
using Xunit;

namespace NnSimd.Tests.Cli;

/// <summary>The downloader against a real HTTP server on 127.0.0.1 serving a good, a corrupted and a truncated file.</summary>
public sealed class DownloaderTests : IDisposable
{
    private readonly HttpListener _server = new();
    private readonly string _prefix;
    private readonly byte[] _labels;
    private readonly CancellationTokenSource _stop = new();

    public DownloaderTests()
    {
        _labels = File.ReadAllBytes(Path.Combine(TestData.Directory, "mnist", "t10k-labels-idx1-ubyte.gz"));
        int port;
        using (var probe = new TcpListener(IPAddress.Loopback, 0))
        {
            probe.Start();
            port = ((IPEndPoint)probe.LocalEndpoint).Port;
        }

        _prefix = $"http://127.0.0.1:{port}/";
        _server.Prefixes.Add(_prefix);
        _server.Start();
        _ = Task.Run(Serve);
    }

    private async Task Serve()
    {
        while (!_stop.IsCancellationRequested)
        {
            HttpListenerContext context;
            try
            {
                context = await _server.GetContextAsync();
            }
            catch (Exception) when (_stop.IsCancellationRequested)
            {
                return;
            }
            catch (HttpListenerException)
            {
                return;
            }

            string path = context.Request.Url!.AbsolutePath;
            byte[] body = _labels;
            if (path.StartsWith("/corrupt/", StringComparison.Ordinal))
            {
                body = (byte[])_labels.Clone();
                body[100] ^= 0xff;
            }

            try
            {
                if (path.StartsWith("/truncated/", StringComparison.Ordinal))
                {
                    context.Response.ContentLength64 = body.Length;
                    await context.Response.OutputStream.WriteAsync(body.AsMemory(0, body.Length / 2));
                    context.Response.Abort();
                    continue;
                }

                if (path.StartsWith("/missing/", StringComparison.Ordinal))
                {
                    context.Response.StatusCode = 404;
                    context.Response.Close();
                    continue;
                }

                context.Response.ContentLength64 = body.Length;
                await context.Response.OutputStream.WriteAsync(body);
                context.Response.Close();
            }
            catch (HttpListenerException)
            {
            }
        }
    }

    private DataDirectory Directory(string root, string route, bool offline = false) =>
        new(root, offline, f => new Uri($"{_prefix}{route}/{f.RelativePath}"));

    [Fact]
    public void A_good_file_is_downloaded_verified_and_renamed_into_place()
    {
        string root = TestData.TempDirectory();
        string path = Directory(root, "good").Get(KnownFiles.TestLabels);
        Assert.Equal(Path.Combine(root, "mnist", "t10k-labels-idx1-ubyte.gz"), path);
        Assert.Equal(_labels, File.ReadAllBytes(path));
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

    [Fact]
    public void Offline_never_downloads()
    {
        string root = TestData.TempDirectory();
        var e = Assert.Throws<FileNotFoundException>(() => Directory(root, "good", offline: true).Get(KnownFiles.TestLabels));
        Assert.Contains("--offline", e.Message);
        Assert.Empty(System.IO.Directory.GetFiles(root, "*", SearchOption.AllDirectories));
    }

    public void Dispose()
    {
        _stop.Cancel();
        _server.Stop();
        _server.Close();
        _stop.Dispose();
    }
}
