using System;
using System.Diagnostics;
using BenchmarkDotNet.Attributes;
using Microsoft.Extensions.Logging;
using OpenTelemetry;
using OpenTelemetry.Logs;
using OpenTelemetry.Trace;
using Tracing.Benchmarks.Subject;

namespace Tracing.Benchmarks;

/// <summary>
/// Tracing.OpenTelemetry: a trace event brought into OpenTelemetry (span event, log record),
/// beside the same span event added by hand and the same log record through <c>[LoggerMessage]</c>,
/// through the SDK's real pipeline. Each case is a loop of <see cref="Calls"/> calls of one call
/// site in Tracing.Benchmarks.Subject (<see cref="OpenTelemetryPeers"/>).
/// </summary>
/// <remarks>
/// The span cases run inside a recorded span started (and stopped) by each invocation, so that
/// the span's event list stays 1,024 long; both sides of a comparison pay for it equally. The log
/// cases go through an ILoggerFactory with OpenTelemetry's provider and an exporter that reads
/// every attribute of every record and drops it.
/// </remarks>
[Config(typeof(OpenTelemetryConfig))]
[MemoryDiagnoser]
public class OpenTelemetryBenchmarks
{
    public const int Calls = 1024;
    public const string NoSpan = "NoSpan", InSpan = "InSpan", Log = "Log";
    const string Name = "request";

    static readonly ActivitySource Source = new("Tracing.Benchmarks.OpenTelemetry");
    TracerProvider? _tracerProvider;
    ILoggerFactory? _loggerFactory;
    ILogger _logger = null!;

    [GlobalSetup(Targets = new[] { nameof(SpanEvent_NoSpan), nameof(SpanEvent_InRecordedSpan) })]
    public void SetupSpanEvents() =>
        _tracerProvider = Sdk.CreateTracerProviderBuilder()
            .AddSource(Source.Name)
            .AddTraceEvents(OpenTelemetryPeers.EventName)
            .Build();

    [GlobalSetup(Targets = new[] { nameof(AddEventByHand_NoSpan), nameof(AddEventByHand_InRecordedSpan) })]
    public void SetupByHand() => _tracerProvider = Sdk.CreateTracerProviderBuilder().AddSource(Source.Name).Build();

    [GlobalSetup(Targets = new[] { nameof(LogRecord_TraceEvent), nameof(LogRecord_LoggerMessage) })]
    public void SetupLogs()
    {
        _loggerFactory = LoggerFactory.Create(logging =>
        {
            logging.AddOpenTelemetry(o => o.AddProcessor(new SimpleLogRecordExportProcessor(new ReadingExporter())));
            logging.Services.ConfigureOpenTelemetryLoggerProvider(l => l.AddTraceEvents(OpenTelemetryPeers.EventName));
        });
        // The [LoggerMessage] case's category is the trace event's (its declaring type).
        _logger = _loggerFactory.CreateLogger(typeof(OpenTelemetryPeers).FullName!);
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _tracerProvider?.Dispose();
        _loggerFactory?.Dispose();
    }

    [Benchmark(OperationsPerInvoke = Calls), BenchmarkCategory(NoSpan)]
    public void SpanEvent_NoSpan() => OpenTelemetryPeers.TraceEvent(Name, Calls);

    [Benchmark(OperationsPerInvoke = Calls), BenchmarkCategory(NoSpan)]
    public void AddEventByHand_NoSpan() => OpenTelemetryPeers.AddEventByHand(Name, Calls);

    [Benchmark(OperationsPerInvoke = Calls), BenchmarkCategory(InSpan)]
    public void SpanEvent_InRecordedSpan()
    {
        using var span = Source.StartActivity("span");
        OpenTelemetryPeers.TraceEvent(Name, Calls);
    }

    [Benchmark(OperationsPerInvoke = Calls), BenchmarkCategory(InSpan)]
    public void AddEventByHand_InRecordedSpan()
    {
        using var span = Source.StartActivity("span");
        OpenTelemetryPeers.AddEventByHand(Name, Calls);
    }

    [Benchmark(OperationsPerInvoke = Calls), BenchmarkCategory(Log)]
    public void LogRecord_TraceEvent() => OpenTelemetryPeers.TraceEvent(Name, Calls);

    [Benchmark(OperationsPerInvoke = Calls), BenchmarkCategory(Log)]
    public void LogRecord_LoggerMessage() => OpenTelemetryPeers.LoggerMessage(_logger, Name, Calls);

    /// <summary>An exporter that reads what a real one reads (every attribute) and sends nothing.</summary>
    sealed class ReadingExporter : BaseExporter<LogRecord>
    {
        public static int Read;

        public override ExportResult Export(in Batch<LogRecord> batch)
        {
            foreach (var record in batch)
            {
                if (record.Attributes is { } attributes)
                {
                    foreach (var attribute in attributes)
                    {
                        if (attribute.Value is not null) Read++;
                    }
                }
            }
            return ExportResult.Success;
        }
    }
}
