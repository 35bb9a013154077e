using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Net;
using System.Net.Sockets;
using System.Threading;
using System.Threading.Tasks;

namespace Tracing.OpenTelemetry.Tests;

/// <summary>
/// The HTTP side of an OTLP collector, on the loopback address: it keeps each request's path,
/// content type and body, and answers 200 with an empty (protobuf) export response.
/// </summary>
sealed class OtlpReceiver : IDisposable
{
    readonly HttpListener _listener;
    readonly Task _loop;
    readonly ConcurrentQueue<(string Path, string? ContentType, byte[] Body)> _requests = new();

    OtlpReceiver(HttpListener listener, string url)
    {
        _listener = listener;
        Url = url;
        _loop = Task.Run(Serve);
    }

    /// <summary>The base address, <c>http://127.0.0.1:port/</c>.</summary>
    public string Url { get; }

    public IReadOnlyList<(string Path, string? ContentType, byte[] Body)> Requests => _requests.ToList();

    public static OtlpReceiver Start()
    {
        // A free port, found by binding port 0; tried again if another process takes it first.
        for (var attempt = 0; ; attempt++)
        {
            var probe = new TcpListener(IPAddress.Loopback, 0);
            probe.Start();
            var port = ((IPEndPoint)probe.LocalEndpoint).Port;
            probe.Stop();
            var url = $"http://127.0.0.1:{port}/";
            var listener = new HttpListener();
            listener.Prefixes.Add(url);
            try
            {
                listener.Start();
                return new OtlpReceiver(listener, url);
            }
            catch (HttpListenerException) when (attempt < 5)
            {
                listener.Close();
            }
        }
    }

    async Task Serve()
    {
        while (_listener.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync();
            }
            catch (Exception e) when (e is HttpListenerException or ObjectDisposedException or InvalidOperationException)
            {
                return; // stopped
            }
            using var body = new MemoryStream();
            await context.Request.InputStream.CopyToAsync(body);
            _requests.Enqueue((context.Request.Url!.AbsolutePath, context.Request.ContentType, body.ToArray()));
            context.Response.StatusCode = 200;
            context.Response.ContentType = "application/x-protobuf";
            context.Response.ContentLength64 = 0;
            context.Response.Close();
        }
    }

    public void Dispose()
    {
        _listener.Stop();
        _listener.Close();
        if (!_loop.Wait(TimeSpan.FromSeconds(10))) throw new TimeoutException("The OTLP receiver did not stop within 10 s.");
    }
}
