using System.Net;
using System.Net.Sockets;
using NnSimd.Data;

namespace NnSimd.Cli.Tests.Data;

/// <summary>
/// An HTTP server on 127.0.0.1 that serves the known files from the test data under a route that says how:
/// <c>good/</c> as they are, <c>corrupt/</c> with one byte flipped, <c>truncated/</c> cut off halfway,
/// <c>missing/</c> as 404. Downloads in tests never leave the machine.
/// </summary>
internal sealed class LocalMirror : IDisposable
{
    private readonly HttpListener _server = new();
    private readonly CancellationTokenSource _stop = new();

    public LocalMirror()
    {
        // Without the test data there is nothing to serve: fail here with TestData's message, not later in a client.
        _ = TestData.Directory;
        Prefix = $"http://127.0.0.1:{FreePort()}/";
        _server.Prefixes.Add(Prefix);
        _server.Start();
        _ = Task.Run(Serve);
    }

    /// <summary>The server's root, ending in '/'.</summary>
    public string Prefix { get; }

    /// <summary>A port on 127.0.0.1 that nothing listens on: a connection there is refused at once.</summary>
    public static int FreePort()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        return ((IPEndPoint)probe.LocalEndpoint).Port;
    }

    /// <summary>The bytes the mirror serves for <paramref name="file"/>, read from the test data.</summary>
    public static byte[] Contents(KnownFile file) =>
        File.ReadAllBytes(new DataDirectory(TestData.Directory, offline: true).Find(file) ?? throw new FileNotFoundException(file.RelativePath));

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

            try
            {
                Respond(context);
            }
            catch (HttpListenerException)
            {
            }
            catch (Exception e) when (e is IOException or InvalidOperationException)
            {
                // An answer the client can report beats a silence it would wait out until its timeout.
                context.Response.StatusCode = 500;
                context.Response.StatusDescription = e.GetType().Name;
                context.Response.Close();
            }
        }
    }

    private static void Respond(HttpListenerContext context)
    {
        string[] parts = context.Request.Url!.AbsolutePath.TrimStart('/').Split('/', 2);
        KnownFile? file = parts.Length == 2 ? TestData.Needed.FirstOrDefault(f => f.RelativePath == parts[1]) : null;
        if (file is null || parts[0] == "missing")
        {
            context.Response.StatusCode = 404;
            context.Response.Close();
            return;
        }

        byte[] body = Contents(file);
        context.Response.ContentLength64 = body.Length;
        switch (parts[0])
        {
            case "corrupt":
                body[100] ^= 0xff;
                break;
            case "truncated":
                context.Response.OutputStream.Write(body, 0, body.Length / 2);
                context.Response.Abort();
                return;
        }

        context.Response.OutputStream.Write(body);
        context.Response.Close();
    }

    public void Dispose()
    {
        // Close alone, not Stop then Close: after Stop, Close binds the port again to remove the prefixes, and fails
        // if anything has taken the port meanwhile (LocalMirrorTests).
        _stop.Cancel();
        _server.Close();
        _stop.Dispose();
    }
}
