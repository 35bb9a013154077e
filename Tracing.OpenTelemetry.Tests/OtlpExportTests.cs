using System;
using System.Diagnostics;
using System.Linq;
using System.Net.Http;
using Google.Protobuf;
using Microsoft.Extensions.DependencyInjection;
using MyLib.Server;
using NUnit.Framework;
using OpenTelemetry;
using OpenTelemetry.Exporter;
using OpenTelemetry.Logs;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;
using Tracing.OpenTelemetry.Tests.Otlp;

namespace Tracing.OpenTelemetry.Tests;

/// <summary>
/// What leaves the process is what a collector gets: the SDK's OTLP exporter sends to a receiver
/// on the loopback address, which decodes the protobuf requests.
/// </summary>
[NonParallelizable]
public class OtlpExportTests
{
    const string SourceName = "Tracing.OpenTelemetry.Tests.Otlp";
    static readonly ActivitySource Source = new(SourceName);

    [Test]
    public void SpansSpanEventsAndLogRecordsReachACollectorOverOtlpHttpProtobuf()
    {
        using var receiver = OtlpReceiver.Start();
        void Otlp(OtlpExporterOptions o, string signal)
        {
            o.Endpoint = new Uri(receiver.Url + "v1/" + signal);
            o.Protocol = OtlpExportProtocol.HttpProtobuf;
            o.TimeoutMilliseconds = 10_000;
            o.HttpClientFactory = () => new HttpClient(new SocketsHttpHandler { UseProxy = false }); // loopback only
        }
        // The README's configuration, with the exporters pointed at the receiver.
        var services = new ServiceCollection();
        services.AddOpenTelemetry()
            .ConfigureResource(r => r.AddService("orders"))
            .WithTracing(t => t
                .AddSource(SourceName)
                .AddTraceEvents(o =>
                {
                    o.Events.Add("MyLib.*");
                    o.Spans.Add(("MyLib.Server.Handler.RequestStart", "MyLib.Server.Handler.RequestDone"));
                })
                .AddOtlpExporter(o => Otlp(o, "traces")))
            .WithLogging(l => l
                .AddTraceEvents("MyLib.Cache.*")
                .AddOtlpExporter(o => Otlp(o, "logs")));
        ActivityTraceId traceId;
        ActivitySpanId outerId;
        using (var provider = services.BuildServiceProvider())
        {
            // What the hosting package's hosted service does when the host starts.
            provider.GetRequiredService<TracerProvider>();
            provider.GetRequiredService<LoggerProvider>();
            using (var outer = Source.StartActivity("GET /orders")!)
            {
                (traceId, outerId) = (outer.TraceId, outer.SpanId);
                Handler.Handle("/orders", 9);
            }
        } // disposing the providers detaches the events, then the exporters flush: the requests are sent now

        var requests = receiver.Requests;
        Assert.That(requests.Select(r => (r.Path, r.ContentType)).Distinct().OrderBy(r => r.Path), Is.EqualTo(new[]
        {
            ("/v1/logs", "application/x-protobuf"),
            ("/v1/traces", "application/x-protobuf"),
        }));

        var resourceSpans = requests.Where(r => r.Path == "/v1/traces")
            .SelectMany(r => ExportTraceServiceRequest.Parser.ParseFrom(r.Body).ResourceSpans).ToList();
        Assert.That(resourceSpans.Select(r => Attribute(r.Resource, "service.name")).Distinct(), Is.EqualTo(new[] { "string:orders" }));
        var spans = resourceSpans.SelectMany(r => r.ScopeSpans).SelectMany(s => s.Spans.Select(span => (Scope: s.Scope.Name, Span: span)))
            .OrderBy(s => s.Span.StartTimeUnixNano).ToList();
        Assert.That(spans.Select(s => $"{s.Scope}:{s.Span.Name}"), Is.EqualTo(new[]
        {
            SourceName + ":GET /orders",
            "Tracing.OpenTelemetry:MyLib.Server.Handler.RequestStart",
        }));
        var (outerSpan, request) = (spans[0].Span, spans[1].Span);
        Assert.That(Hex(outerSpan.TraceId), Is.EqualTo(traceId.ToHexString()));
        Assert.That(Hex(outerSpan.SpanId), Is.EqualTo(outerId.ToHexString()));
        Assert.That((Hex(request.TraceId), Hex(request.ParentSpanId)), Is.EqualTo((traceId.ToHexString(), outerId.ToHexString())));
        Assert.That(request.EndTimeUnixNano, Is.GreaterThan(request.StartTimeUnixNano));
        Assert.That(Attributes(request.Attributes), Is.EqualTo("path=string:/orders, id=int:9, status=int:200"));
        Assert.That(request.Events.Select(e => $"{e.Name}({Attributes(e.Attributes)})"), Is.EqualTo(new[]
        {
            "MyLib.Cache.Store.TraceHit(key=string:/orders, size=int:7)",
        }));
        Assert.That(outerSpan.Events, Is.Empty);

        var logs = requests.Where(r => r.Path == "/v1/logs")
            .SelectMany(r => ExportLogsServiceRequest.Parser.ParseFrom(r.Body).ResourceLogs).ToList();
        Assert.That(logs.Select(r => Attribute(r.Resource, "service.name")).Distinct(), Is.EqualTo(new[] { "string:orders" }));
        var records = logs.SelectMany(r => r.ScopeLogs).SelectMany(s => s.LogRecords.Select(record => (Scope: s.Scope.Name, Record: record))).ToList();
        Assert.That(records.Select(r => $"{r.Scope} {r.Record.SeverityNumber} {r.Record.SeverityText} {r.Record.EventName}: {Value(r.Record.Body)} {{{Attributes(r.Record.Attributes)}}}"),
            Is.EqualTo(new[]
            {
                "MyLib.Cache.Store 9 Information MyLib.Cache.Store.TraceHit: string:MyLib.Cache.Store.TraceHit(key: {key}, size: {size}) {key=string:/orders, size=int:7}",
            }));
        Assert.That((Hex(records[0].Record.TraceId), Hex(records[0].Record.SpanId)), Is.EqualTo((traceId.ToHexString(), Hex(request.SpanId))),
            "the record was written inside the pair's span");
    }

    static string Hex(ByteString bytes) => Convert.ToHexString(bytes.ToByteArray()).ToLowerInvariant();

    static string Attribute(Otlp.Resource resource, string key) => Value(resource.Attributes.Single(a => a.Key == key).Value);

    static string Attributes(Google.Protobuf.Collections.RepeatedField<KeyValue> attributes) =>
        string.Join(", ", attributes.Select(a => $"{a.Key}={Value(a.Value)}"));

    static string Value(AnyValue? value) => value?.ValueCase switch
    {
        AnyValue.ValueOneofCase.StringValue => "string:" + value.StringValue,
        AnyValue.ValueOneofCase.IntValue => "int:" + value.IntValue,
        AnyValue.ValueOneofCase.DoubleValue => "double:" + value.DoubleValue.ToString("R", System.Globalization.CultureInfo.InvariantCulture),
        AnyValue.ValueOneofCase.BoolValue => "bool:" + (value.BoolValue ? "true" : "false"),
        null => "none",
        var other => other.ToString()!,
    };
}
