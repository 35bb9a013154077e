using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using MyLib.Cache;
using MyLib.Server;
using NUnit.Framework;
using OpenTelemetry;
using OpenTelemetry.Trace;

namespace Tracing.OpenTelemetry.Tests;

/// <summary>Firings inside a recorded span become its span events, through the SDK's real pipeline.</summary>
[NonParallelizable]
public class SpanEventTests
{
    static readonly ActivitySource Source = new("Tracing.OpenTelemetry.Tests.SpanEvents");

    static TracerProvider Provider(List<Activity> exported, params string[] events) =>
        Sdk.CreateTracerProviderBuilder().AddSource(Source.Name).AddTraceEvents(events).AddInMemoryExporter(exported).Build();

    [Test]
    public void AFiringInsideARecordedSpanIsASpanEventNamedAfterTheEventWithOneTagPerArgument()
    {
        var exported = new List<Activity>();
        using (Provider(exported, "MyLib.Cache.*"))
        {
            using var request = Source.StartActivity("request");
            Store.Hit("k1", 3);
            Store.Evict("k1", Store.Reason.Capacity, 4096, dirty: true);
            Handler.Start("/", 1); // not matched
        }

        Assert.That(exported.Select(s => s.DisplayName), Is.EqualTo(new[] { "request" }));
        Assert.That(exported[0].Events.Select(Describe.Event), Is.EqualTo(new[]
        {
            "MyLib.Cache.Store.TraceHit(key=String:k1, size=Int64:3)",
            "MyLib.Cache.Store.TraceEvict(key=String:k1, reason=String:Capacity, bytes=Int64:4096, dirty=Boolean:True)",
        }));
    }

    [Test]
    public void NumbersAndBoolsAreNumbersAndBoolsAndEverythingElseIsText()
    {
        var exported = new List<Activity>();
        var guid = new Guid("01234567-89ab-cdef-0123-456789abcdef");
        var when = new DateTime(2026, 11, 30, 6, 0, 0, DateTimeKind.Utc);
        using (Provider(exported, "MyLib.Server.Handler.TraceValues"))
        using (Source.StartActivity("values"))
        {
            Handler.Values(-8, ulong.MaxValue, 1.5, 3.125m, 'x', "text", when, TimeSpan.FromSeconds(1.5), guid, 5, any: 42, new Version(1, 2));
            Handler.Values(8, 7, -0.25, -1m, 'y', null, when, TimeSpan.Zero, Guid.Empty, null, any: null, new Version(3, 4, 5));
        }

        Assert.That(exported.Single().Events.Select(e => Describe.Tags(e.Tags)), Is.EqualTo(new[]
        {
            "i8=Int64:-8, u64=String:18446744073709551615, f64=Double:1.5, money=Double:3.125, c=String:x, text=String:text, " +
            "when=String:2026-11-30T06:00:00.0000000Z, took=String:00:00:01.5000000, guid=String:01234567-89ab-cdef-0123-456789abcdef, " +
            "missing=Int64:5, any=Int64:42, version=String:1.2",
            "i8=Int64:8, u64=Int64:7, f64=Double:-0.25, money=Double:-1, c=String:y, text=null, " +
            "when=String:2026-11-30T06:00:00.0000000Z, took=String:00:00:00, guid=String:00000000-0000-0000-0000-000000000000, " +
            "missing=null, any=null, version=String:3.4.5",
        }));
    }

    [Test]
    public void WithNoCurrentSpanOrOneNotRecordedAFiringAddsNothingAndAllocatesNothing()
    {
        using var provider = Provider(new List<Activity>(), "MyLib.Cache.*");
        // A span that is propagated but not recorded, as a sampler that drops it leaves it.
        var unrecordedSource = new ActivitySource("Tracing.OpenTelemetry.Tests.Unrecorded");
        using var listener = new ActivityListener
        {
            ShouldListenTo = s => s == unrecordedSource,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.PropagationData,
        };
        ActivitySource.AddActivityListener(listener);
        Assert.That(Activity.Current, Is.Null);

        var noSpan = BytesAllocatedBy1000Hits();
        long notRecorded;
        using (var unrecorded = unrecordedSource.StartActivity("unrecorded")!)
        {
            Assert.That((unrecorded.Recorded, unrecorded.IsAllDataRequested), Is.EqualTo((false, false)));
            notRecorded = BytesAllocatedBy1000Hits();
            Assert.That(unrecorded.Events, Is.Empty);
        }
        long recorded;
        using (var span = Source.StartActivity("recorded")!)
        {
            recorded = BytesAllocatedBy1000Hits(); // the control: the events are attached
            Assert.That(span.Events.Count(), Is.EqualTo(1000 + 100));
        }

        Assert.That((noSpan, notRecorded), Is.EqualTo((0L, 0L)));
        Assert.That(recorded, Is.GreaterThan(0));
    }

    static long BytesAllocatedBy1000Hits()
    {
        for (var i = 0; i < 100; i++) Store.Hit("key", i); // first firings: the event's state, the JIT
        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 1000; i++) Store.Hit("key", i);
        return GC.GetAllocatedBytesForCurrentThread() - before;
    }

    [Test]
    public void TheEventsAreAttachedWhenTheProviderIsBuiltAndDetachedWhenItIsDisposed()
    {
        // A recorded span of a listener of the test's own, open across the provider's life.
        var ownSource = new ActivitySource("Tracing.OpenTelemetry.Tests.Lifetime");
        using var listener = new ActivityListener
        {
            ShouldListenTo = s => s == ownSource,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
        };
        ActivitySource.AddActivityListener(listener);
        using var span = ownSource.StartActivity("open")!;
        var builder = Sdk.CreateTracerProviderBuilder().AddTraceEvents("MyLib.Cache.*");

        Store.Hit("configured", 1);
        var provider = builder.Build();
        Store.Hit("built", 2);
        provider.Dispose();
        Store.Hit("disposed", 3);

        Assert.That(span.Events.Select(Describe.Event), Is.EqualTo(new[] { "MyLib.Cache.Store.TraceHit(key=String:built, size=Int64:2)" }));
    }
}
