using System.Net;
using System.Net.Sockets;
using Xunit;

namespace NnSimd.Cli.Tests.Data;

public class LocalMirrorTests
{
    /// <summary>
    /// Why <see cref="LocalMirror"/> closes its listener without stopping it first: on this runtime, Stop releases
    /// the port and a later Close binds it again to remove the prefixes, so Close fails with "Address already in
    /// use" when anything has taken the port in between (a CI run saw it when another test's listener got the
    /// port). Close alone releases the port once.
    /// </summary>
    [Fact]
    public void Closing_a_stopped_listener_binds_its_port_again()
    {
        int port = LocalMirror.FreePort();
        var listener = new HttpListener();
        listener.Prefixes.Add($"http://127.0.0.1:{port}/");
        listener.Start();
        listener.Stop();
        using var squatter = new TcpListener(IPAddress.Loopback, port);
        squatter.Start();
        Assert.Throws<HttpListenerException>(listener.Close);
    }

    [Fact]
    public async Task The_mirror_releases_its_port_on_dispose_and_serves_until_then()
    {
        var mirror = new LocalMirror();
        int port = new Uri(mirror.Prefix).Port;
        using (var client = new HttpClient())
        {
            HttpResponseMessage response = await client.GetAsync(new Uri($"{mirror.Prefix}missing/x"));
            Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        }

        mirror.Dispose();
        using var next = new TcpListener(IPAddress.Loopback, port);

        // The port is free again: no listener holds it. The connection the request used may still sit in TIME_WAIT on
        // the mirror's side, which without SO_REUSEADDR refuses the bind as well ("Address already in use" in a CI run);
        // with it, only a listener still bound to the port does.
        next.Server.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
        next.Start();
    }
}
