using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using System.Threading;
using MyLib.Cache;
using MyLib.Server;
using NUnit.Framework;
using OpenTelemetry;
using OpenTelemetry.Trace;

namespace Tracing.OpenTelemetry.Tests;

/// <summary>A begin/end pair of events on one thread becomes a span of the Tracing.OpenTelemetry source.</summary>
[NonParallelizable]
public class SpanPairTests
{
    static readonly ActivitySource Source = new("Tracing.OpenTelemetry.Tests.SpanPairs");
    const string Begin = "MyLib.Server.Handler.RequestStart", End = "MyLib.Server.Handler.RequestDone";

    static TracerProvider Provider(List<Activity> exported) =>
        Sdk.CreateTracerProviderBuilder()
            .AddSource(Source.Name)
            .AddTraceEvents(o =>
            {
                o.Events.Add("MyLib.*"); // matches the pair's events too: they are a span, not span events
                o.Spans.Add((Begin, End));
            })
            .AddInMemoryExporter(exported)
            .Build();

    [Test]
    public void APairIsAChildSpanOfItsOwnSourceWithADurationAndTheFiringsInsideAsItsSpanEvents()
    {
        var exported = new List<Activity>();
        using (Provider(exported))
        {
            using var outer = Source.StartActivity("outer")!;
            Handler.Handle("/items", 7); // RequestStart, a cache hit, RequestDone
            Assert.That(Activity.Current, Is.SameAs(outer), "the pair's end makes its parent current again");
        }

        Assert.That(exported.Select(s => $"{s.Source.Name}:{s.DisplayName}"), Is.EqualTo(new[]
        {
            "Tracing.OpenTelemetry:" + Begin,
            "Tracing.OpenTelemetry.Tests.SpanPairs:outer",
        }));
        var (request, parent) = (exported[0], exported[1]);
        Assert.That(request.Source.Name, Is.EqualTo(TraceEventsOptions.ActivitySourceName));
        Assert.That(request.Kind, Is.EqualTo(ActivityKind.Internal));
        Assert.That((request.TraceId, request.ParentSpanId), Is.EqualTo((parent.TraceId, parent.SpanId)));
        Assert.That(request.Duration, Is.GreaterThan(TimeSpan.Zero));
        Assert.That(Describe.Tags(request.TagObjects), Is.EqualTo("path=String:/items, id=Int64:7, status=Int64:200"));
        Assert.That(request.Events.Select(Describe.Event), Is.EqualTo(new[] { "MyLib.Cache.Store.TraceHit(key=String:/items, size=Int64:6)" }));
        Assert.That(parent.Events, Is.Empty);
    }

    [Test]
    public void PairsNestAndAnEndOnAnotherThreadIsIgnored()
    {
        var exported = new List<Activity>();
        using (Provider(exported))
        {
            Handler.Start("/a", 1);
            Handler.Start("/b", 2);
            var other = new Thread(() => Handler.Done(2, 500)); // no span of the pair is open there
            other.Start();
            Assert.That(other.Join(TimeSpan.FromSeconds(30)), Is.True);
            Assert.That(exported, Is.Empty);
            Handler.Done(2, 200);
            Store.Hit("between", 0);
            Handler.Done(1, 201);
            Assert.That(Activity.Current, Is.Null);
        }

        Assert.That(exported.Select(s => Describe.Tags(s.TagObjects)), Is.EqualTo(new[]
        {
            "path=String:/b, id=Int64:2, status=Int64:200",
            "path=String:/a, id=Int64:1, status=Int64:201",
        }));
        var (inner, outer) = (exported[0], exported[1]);
        Assert.That(outer.ParentSpanId, Is.EqualTo(default(ActivitySpanId)), "a pair with no current span is a root");
        Assert.That((inner.TraceId, inner.ParentSpanId), Is.EqualTo((outer.TraceId, outer.SpanId)));
        Assert.That(outer.Events.Select(Describe.Event), Is.EqualTo(new[] { "MyLib.Cache.Store.TraceHit(key=String:between, size=Int64:0)" }));
    }

    [TestCase("MyLib.Server.*", "a span pair's begin event must be one event's full name (Namespace.Type.Event), without wildcards or an assembly; got \"MyLib.Server.*\".")]
    [TestCase("", "a span pair's begin event must be one event's full name (Namespace.Type.Event), without wildcards or an assembly; got \"\".")]
    [TestCase(End, "the span pair (MyLib.Server.Handler.RequestDone, MyLib.Server.Handler.RequestDone) begins and ends with the same event.")]
    public void AMalformedPairIsAClearError(string begin, string message)
    {
        var error = Assert.Throws<ArgumentException>(() => Sdk.CreateTracerProviderBuilder().AddTraceEvents(o => o.Spans.Add((begin, End))));
        Assert.That(error!.Message, Does.StartWith("AddTraceEvents: " + message));
    }

    [Test]
    public void NoEventsAndNoSpansIsAClearError()
    {
        var error = Assert.Throws<ArgumentException>(() => Sdk.CreateTracerProviderBuilder().AddTraceEvents(_ => { }));
        Assert.That(error!.Message, Does.StartWith("AddTraceEvents: the options name no events and no spans."));
        error = Assert.Throws<ArgumentException>(() => Sdk.CreateTracerProviderBuilder().AddTraceEvents("MyLib.Cache/*"));
        Assert.That(error!.Message, Does.StartWith("AddTraceEvents: \"MyLib.Cache/*\" is not a trace event glob: '/' at 12 is not allowed"));
    }
}
