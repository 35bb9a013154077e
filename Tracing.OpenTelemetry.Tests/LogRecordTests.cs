using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using MyLib.Cache;
using MyLib.Server;
using NUnit.Framework;
using OpenTelemetry.Logs;

namespace Tracing.OpenTelemetry.Tests;

/// <summary>Firings become log records through ILogger, through the SDK's real logging pipeline.</summary>
[NonParallelizable]
public class LogRecordTests
{
    const string SourceName = "Tracing.OpenTelemetry.Tests.Logs";
    static readonly ActivitySource Source = new(SourceName);

    static string Describe(LogRecord r) =>
        $"{r.LogLevel} {r.CategoryName} [{r.EventId.Id}:{r.EventId.Name}] {r.Body} {{{Tests.Describe.Tags(r.Attributes!)}}}";

    [Test]
    public void EachFiringIsALogRecordWithTheEventNameAsEventIdNameAndTheArgumentsAsStructuredState()
    {
        var records = new List<LogRecord>();
        var services = new ServiceCollection();
        services.AddOpenTelemetry().WithLogging(l => l.AddTraceEvents("MyLib.Cache.*").AddInMemoryExporter(records));
        using var listener = new ActivityListener
        {
            ShouldListenTo = s => s.Name == SourceName, // by name: not the field, which may not be made yet
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
        };
        ActivitySource.AddActivityListener(listener);
        Activity span;
        using (var provider = services.BuildServiceProvider())
        {
            Store.Hit("before", 0); // the logger provider is not built yet
            // Builds it, as OpenTelemetry.Extensions.Hosting does when the host starts (the SDK
            // builds it lazily otherwise, when the first logger is made): the events are attached.
            provider.GetRequiredService<LoggerProvider>();
            Store.Hit("k1", 3);
            using (span = Source.StartActivity("request")!)
            {
                Store.Evict("k1", Store.Reason.Expired, 10, dirty: false);
            }
            Handler.Start("/", 1); // not matched
        }
        Store.Hit("after", 0); // disposed: detached

        Assert.That(records.Select(Describe), Is.EqualTo(new[]
        {
            "Information MyLib.Cache.Store [0:MyLib.Cache.Store.TraceHit] MyLib.Cache.Store.TraceHit(key: {key}, size: {size}) " +
            "{key=String:k1, size=Int64:3, {OriginalFormat}=String:MyLib.Cache.Store.TraceHit(key: {key}, size: {size})}",
            "Information MyLib.Cache.Store [0:MyLib.Cache.Store.TraceEvict] MyLib.Cache.Store.TraceEvict(key: {key}, reason: {reason}, bytes: {bytes}, dirty: {dirty}) " +
            "{key=String:k1, reason=String:Expired, bytes=Int64:10, dirty=Boolean:False, {OriginalFormat}=String:MyLib.Cache.Store.TraceEvict(key: {key}, reason: {reason}, bytes: {bytes}, dirty: {dirty})}",
        }));
        Assert.That(records.Select(r => (r.TraceId, r.SpanId)), Is.EqualTo(new[] { (default(ActivityTraceId), default(ActivitySpanId)), (span!.TraceId, span.SpanId) }),
            "a record inside a span carries its ids");
    }

    [Test]
    public void WithLoggerFactoryCreateTheLevelIsAnOptionAndTheFormattedMessageReadsLikeACall()
    {
        var records = new List<LogRecord>();
        using (var factory = LoggerFactory.Create(logging =>
               {
                   logging.AddOpenTelemetry(o =>
                   {
                       o.IncludeFormattedMessage = true;
                       o.AddInMemoryExporter(records);
                   });
                   logging.Services.ConfigureOpenTelemetryLoggerProvider(l => l.AddTraceEvents(o =>
                   {
                       o.Events.Add("MyLib.Cache.Store.TraceEvict");
                       o.LogLevel = LogLevel.Warning;
                   }));
               }))
        {
            factory.CreateLogger("App"); // the SDK builds its logger provider with the first logger
            Store.Hit("k", 1); // not matched
            Store.Evict("k2", Store.Reason.Capacity, 1L << 40, dirty: true);
        }

        Assert.That(records.Select(r => $"{r.LogLevel} {r.FormattedMessage}"), Is.EqualTo(new[]
        {
            "Warning MyLib.Cache.Store.TraceEvict(key: k2, reason: Capacity, bytes: 1099511627776, dirty: true)",
        }));
    }

    [Test]
    public void TheApplicationsLoggingFiltersApplyAndAFilteredOutFiringAllocatesNothing()
    {
        var records = new List<LogRecord>();
        using (var factory = LoggerFactory.Create(logging =>
               {
                   logging.AddOpenTelemetry(o => o.AddInMemoryExporter(records));
                   logging.AddFilter("MyLib.Cache", LogLevel.Warning); // the category is the event's type
                   logging.Services.ConfigureOpenTelemetryLoggerProvider(l => l.AddTraceEvents("MyLib.*"));
               }))
        {
            factory.CreateLogger("App"); // the SDK builds its logger provider with the first logger
            for (var i = 0; i < 100; i++) Store.Hit("key", i); // first firings: the event's logger, the JIT
            var before = GC.GetAllocatedBytesForCurrentThread();
            for (var i = 0; i < 1000; i++) Store.Hit("key", i);
            var filteredOut = GC.GetAllocatedBytesForCurrentThread() - before;
            Handler.Done(3, 200); // MyLib.Server: Information passes

            Assert.That(filteredOut, Is.EqualTo(0));
        }

        Assert.That(records.Select(r => r.EventId.Name), Is.EqualTo(new[] { "MyLib.Server.Handler.RequestDone" }));
    }
}
