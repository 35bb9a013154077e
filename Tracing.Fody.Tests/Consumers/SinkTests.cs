using System;
using System.Collections.Generic;
using System.Linq;
using System.Reflection;
using System.Runtime.Loader;
using System.Threading;
using NUnit.Framework;

namespace Tracing.Fody.Tests.Consumers;

/// <summary>
/// The one mechanism every consumer of events uses (docs/design-decisions.md, "Consumers of
/// events"): sinks attached by filter or to one event, the shared value rules, assemblies that
/// start running later, and what cannot be handed to a sink.
/// </summary>
[NonParallelizable]
public class SinkTests
{
    static TraceEventFilter Filter(params string[] globs) => TraceEventFilter.Parse(globs);

    [Test]
    public void ASinkReceivesEveryArgumentByTheSharedValueRules()
    {
        var sink = new RecordingSink();
        using var pg = new ProbeGroup();
        Trace.Setup(() => Trace.AttachSink(pg, Filter("AssemblyToProcess.ValueEvents.*"), sink));

        // Under a culture whose dates differ from the invariant's: the texts must not change.
        var culture = System.Globalization.CultureInfo.CurrentCulture;
        System.Globalization.CultureInfo.CurrentCulture = new System.Globalization.CultureInfo("de-DE");
        try
        {
            Woven.Call("ValueEvents.FireAll", false);
            Woven.Call("ValueEvents.FireAll", true);
        }
        finally
        {
            System.Globalization.CultureInfo.CurrentCulture = culture;
        }

        Assert.That(sink.Lines, Is.EqualTo(new[]
        {
            "TraceSigned(a=i:-8, b=i:-16, c=i:-32, d=i:-9223372036854775808, e=i:-64)",
            "TraceUnsigned(a=u:8, b=u:16, c=u:32, d=u:18446744073709551615, e=u:64)",
            "TraceReal(a=d:1.5, b=d:-2.25, c=m:3.125)",
            "TraceOthers(a=b:true, b=c:x, c=s:text, d=t:2026-11-30T06:00:00.0000000Z, e=ts:00:00:01.5000000, f=g:01234567-89ab-cdef-0123-456789abcdef)",
            "TraceEnums(a=s:Blue, b=s:Read, Write, c=s:B, d=s:Minus, e=s:Friday)",
            "TraceNullables(a=i:1, b=i:-2, c=b:true, d=d:0.5, e=s:Green, f=g:00000000-0000-0000-0000-000000000000, g=t:2000-01-01T00:00:00.0000000)",
            "TraceObjects(a=i:42, b=s:before, c=s:(7, seven), d=s:System.Collections.Generic.List`1[System.Int32], e=s:01/02/2026 03:04:05 +00:00)",
            "TraceSigned(a=i:-8, b=i:-16, c=i:-32, d=i:-9223372036854775808, e=i:-64)",
            "TraceUnsigned(a=u:8, b=u:16, c=u:32, d=u:18446744073709551615, e=u:64)",
            "TraceReal(a=d:1.5, b=d:-2.25, c=m:3.125)",
            "TraceOthers(a=b:true, b=c:x, c=null, d=t:2026-11-30T06:00:00.0000000Z, e=ts:00:00:01.5000000, f=g:01234567-89ab-cdef-0123-456789abcdef)",
            "TraceEnums(a=s:Blue, b=s:Read, Write, c=s:B, d=s:Minus, e=s:Friday)",
            "TraceNullables(a=null, b=null, c=null, d=null, e=null, f=null, g=null)",
            "TraceObjects(a=null, b=null, c=s:(7, seven), d=s:System.Collections.Generic.List`1[System.Int32], e=s:01/02/2026 03:04:05 +00:00)",
        }));
    }

    [Test]
    public void ASinkReachesAnEventInAPrivateNestedTypeWithAPrivateParameterType()
    {
        var sink = new RecordingSink();
        using var pg = new ProbeGroup();
        Trace.Setup(() => Trace.AttachSink(pg, Filter("AssemblyToProcess.ValueEvents.Hidden.TraceSecret"), sink));

        Woven.Call("ValueEvents.FireHidden");

        Assert.That(sink.Lines, Is.EqualTo(new[] { "TraceSecret(secret=s:secret, n=i:3)" }));
    }

    [Test]
    public void ASinkAttachedToOneEventRunsInAttachOrderWithTypedProbes()
    {
        var sink = new RecordingSink();
        var order = new List<string>();
        var pair = Woven.Event<Action<string, int>>("Events.TracePair");
        var traceEvent = Trace.EventOf(pair);
        var pg = new ProbeGroup();
        Probe? probe = null;
        Trace.Setup(() =>
        {
            Trace.Attach(pg, pair, (name, value) => order.Add($"before: {sink.Lines.Count} lines"));
            probe = Trace.AttachSink(pg, traceEvent, sink);
            Trace.Attach(pg, pair, (name, value) => order.Add($"after: {sink.Lines.Count} lines"));
        });
        try
        {
            pair("n", 1);
        }
        finally
        {
            pg.Done();
        }
        pair("n", 2);

        Assert.That(probe!.EventName, Is.EqualTo("AssemblyToProcess.Events.TracePair"));
        Assert.That(order, Is.EqualTo(new[] { "before: 0 lines", "after: 1 lines" }));
        Assert.That(sink.Lines, Is.EqualTo(new[] { "TracePair(name=s:n, value=i:1)" }));
    }

    [Test]
    public void ADoneGroupDetachesTheSinkAndAFiringItDeclinesIsNotWritten()
    {
        var sink = new RecordingSink { Accept = e => e.Name != "TraceText" };
        var pg = new ProbeGroup();
        Trace.Setup(() => Trace.AttachSink(pg, Filter("AssemblyToProcess.Events.TraceValue", "*.Events.TraceText"), sink));

        Woven.Call("Events.TraceValue", 1);
        Woven.Call("Events.TraceText", "declined");
        Woven.Call("Events.TracePair", "not matched", 2);
        pg.Done();
        Trace.Synchronize();
        Woven.Call("Events.TraceValue", 3);

        Assert.That(sink.Lines, Is.EqualTo(new[] { "TraceValue(value=i:1)" }));
        var head = Woven.Type("Events").GetField("<TraceValue>probes", BindingFlags.Static | BindingFlags.NonPublic)!;
        Assert.That(head.GetValue(null), Is.Null, "the event's probe list is empty again");
    }

    [Test]
    public void AnEventWithARefStructParameterIsReportedNotAttached()
    {
        var sink = new RecordingSink();
        using var pg = new ProbeGroup();
        var span = Trace.Events(Woven.Assembly).Single(e => e.Name == "TraceSpan");

        var error = Assert.Throws<NotSupportedException>(() => Trace.Setup(() => Trace.AttachSink(pg, span, sink)))!;
        Trace.Setup(() => Trace.AttachSink(pg, Filter("AssemblyToProcess.Events.TraceSpan"), sink));

        Assert.That(error.Message, Is.EqualTo(
            "Trace.AttachSink: AssemblyToProcess.Events.TraceSpan(System.ReadOnlySpan<char> text) has a ref struct parameter, which " +
            "cannot be handed to a sink (it cannot be stored or passed through a generic adapter). Attach a typed probe to it instead."));
        Assert.That(sink.AttachFailures.Where(f => f.Event.Assembly == Woven.Assembly).Select(f => (f.Event.Name, f.Error.Message)),
            Is.EqualTo(new[] { ("TraceSpan", error.Message.Substring("Trace.AttachSink: ".Length)) }));
    }

    [Test]
    public void AttachingASinkOutsideTheLockThrows()
    {
        var error = Assert.Throws<InvalidOperationException>(() => Trace.AttachSink(new ProbeGroup(), TraceEventFilter.All, new RecordingSink()))!;
        Assert.That(error.Message, Does.StartWith("Trace.AttachSink must be called under the trace lock"));
    }

    [Test]
    public void EventsKeepTheirIdentityAndIds()
    {
        var first = Trace.Events(Woven.Assembly);
        var again = Trace.Events(Woven.Assembly);
        Assert.That(again, Is.SameAs(first));
        Assert.That(first.Select(e => e.Id), Is.Unique);
        Assert.That(first.Select(e => e.Id), Is.All.GreaterThan(0));
        Assert.That(first.Select(e => e.FullName), Is.Ordered.Using((IComparer<string>)StringComparer.Ordinal));
        Assert.That(Trace.EventOf(Woven.Event<Action<int>>("Events.TraceValue")), Is.SameAs(first.Single(e => e.Name == "TraceValue")));
        Assert.That(Trace.LoadedEvents(), Does.Contain(first[0]));
    }

    [Test]
    public void EventOfANonEventSaysWhatToPass()
    {
        var error = Assert.Throws<ArgumentException>(() => Trace.EventOf(new Action(EventOfANonEventSaysWhatToPass)))!;
        Assert.That(error.Message, Does.StartWith(
            "Trace.EventOf: Tracing.Fody.Tests.Consumers.SinkTests.EventOfANonEventSaysWhatToPass is not a trace event of an assembly woven by " +
            "Tracing.Fody. Pass an event's method group, such as Hello.TraceHello."));
    }

    [Test]
    public void AnAssemblyThatStartsRunningLaterIsAttached()
    {
        var sink = new RecordingSink();
        using var pg = new ProbeGroup();
        Trace.Setup(() => Trace.AttachSink(pg, Filter("AssemblyToProcess.Events.TraceValue"), sink));
        var later = LoadCopy("later");

        Call(later, "Events", "TraceValue", 7);

        Assert.That(sink.Lines, Is.EqualTo(new[] { "TraceValue(value=i:7)" }));
        Assert.That(Trace.Events(later).Single(e => e.Name == "TraceValue").Id,
            Is.Not.EqualTo(Trace.Events(Woven.Assembly).Single(e => e.Name == "TraceValue").Id), "another assembly, other ids");
    }

    [Test]
    public void AnAssemblyThatStartsRunningAfterItsGroupIsDoneGetsNoneOfTheGroupsSinks()
    {
        var first = new RecordingSink();
        var second = new RecordingSink();
        var pg = new ProbeGroup();
        Trace.Setup(() =>
        {
            Trace.AttachSink(pg, Filter("AssemblyToProcess.Events.TraceValue"), first);
            Trace.AttachSink(pg, Filter("AssemblyToProcess.Events.TraceValue"), second);
        });
        pg.Done();
        var later = LoadCopy("after-done");

        Call(later, "Events", "TraceValue", 9);

        Assert.That(first.Lines, Is.Empty, "the first sink of the group reached an assembly that started after Done");
        Assert.That(second.Lines, Is.Empty, "the second sink of the group reached an assembly that started after Done");
    }

    [Test]
    public void AnAssemblyThatStartsRunningUnderThisThreadsLockIsAttachedAtOnce()
    {
        var sink = new RecordingSink();
        using var pg = new ProbeGroup();
        var later = LoadCopy("under-lock");
        Trace.Lock();
        try
        {
            Trace.AttachSink(pg, Filter("AssemblyToProcess.Events.TraceValue"), sink);
            Call(later, "Effects", "Reset"); // the assembly's first code: its initializer runs on this thread, under the lock
        }
        finally
        {
            Trace.Unlock();
        }
        Call(later, "Events", "TraceValue", 8);

        Assert.That(sink.Lines, Is.EqualTo(new[] { "TraceValue(value=i:8)" }));
    }

    [Test, CancelAfter(60_000)]
    public void AnAssemblyThatStartsRunningWhileAnotherThreadHoldsTheLockIsAttachedWhenItUnlocks()
    {
        var sink = new RecordingSink();
        using var pg = new ProbeGroup();
        Trace.Setup(() => Trace.AttachSink(pg, Filter("AssemblyToProcess.Events.TraceValue"), sink));
        var later = LoadCopy("while-locked");
        using var locked = new ManualResetEventSlim();
        using var fired = new ManualResetEventSlim();
        using var unlocked = new ManualResetEventSlim();
        var holder = new Thread(() =>
        {
            Trace.Lock();
            try
            {
                locked.Set();
                fired.Wait(TimeSpan.FromSeconds(30));
            }
            finally
            {
                Trace.Unlock();
                unlocked.Set();
            }
        });
        holder.Start();
        Assert.That(locked.Wait(TimeSpan.FromSeconds(30)), Is.True);

        Call(later, "Events", "TraceValue", 1); // initializes while the holder has the lock: not attached yet, and not blocked
        fired.Set();
        Assert.That(unlocked.Wait(TimeSpan.FromSeconds(30)), Is.True);
        Call(later, "Events", "TraceValue", 2);
        Assert.That(holder.Join(TimeSpan.FromSeconds(30)), Is.True);

        Assert.That(sink.Lines, Is.EqualTo(new[] { "TraceValue(value=i:2)" }));
    }

    [Test]
    public void AFiringOfAnEnabledEventAllocatesNothingInTheSinkPath()
    {
        var sink = new CountingSink();
        using var pg = new ProbeGroup();
        Trace.Setup(() => Trace.AttachSink(pg, Filter("AssemblyToProcess.Events.TracePair", "AssemblyToProcess.ValueEvents.TraceDay"), sink));
        var pair = Woven.Event<Action<string, int>>("Events.TracePair");
        var day = Woven.Event<Action<DayOfWeek, int?, Guid, TimeSpan>>("ValueEvents.TraceDay");
        void Fire(int i)
        {
            pair("text", i);
            day((DayOfWeek)(i % 7), i, Guid.Empty, TimeSpan.Zero);
        }
        for (var i = 0; i < 100; i++) Fire(i); // every day's name is cached

        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 1000; i++) Fire(i);
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.That(sink.Firings, Is.EqualTo(2200));
        Assert.That(sink.Sum, Is.EqualTo(2 * (Enumerable.Range(0, 100).Sum() + Enumerable.Range(0, 1000).Sum())));
        Assert.That(allocated, Is.EqualTo(0), "bytes allocated by 1000 firings of TracePair(string, int) and TraceDay(DayOfWeek, int?, Guid, TimeSpan)");
    }

    /// <summary>A sink that allocates nothing: it counts firings and sums integer arguments.</summary>
    sealed class CountingSink : TraceEventSink
    {
        readonly Writer _writer = new();
        public int Firings;
        public long Sum => _writer.Sum;

        protected internal override TraceValueWriter? BeginEvent(TraceEventInfo traceEvent) => _writer;
        protected internal override void EndEvent(TraceEventInfo traceEvent, TraceValueWriter writer) => Firings++;

        sealed class Writer : TraceValueWriter
        {
            public long Sum;
            public override void WriteNull(int index) { }
            public override void WriteBoolean(int index, bool value) { }
            public override void WriteInt64(int index, long value) => Sum += value;
            public override void WriteUInt64(int index, ulong value) { }
            public override void WriteDouble(int index, double value) { }
            public override void WriteChar(int index, char value) { }
            public override void WriteString(int index, string value) { }
            public override void WriteDateTime(int index, DateTime value) { }
            public override void WriteTimeSpan(int index, TimeSpan value) { }
            public override void WriteGuid(int index, Guid value) { }
        }
    }

    /// <summary>Another copy of the woven fixture, in a load context of its own that shares this one's Tracing.Runtime.</summary>
    static Assembly LoadCopy(string name) =>
        new AssemblyLoadContext("sink-tests-" + name).LoadFromAssemblyPath(Woven.Result.OutputPath!);

    static object? Call(Assembly assembly, string type, string method, params object?[] arguments) =>
        assembly.GetType("AssemblyToProcess." + type, throwOnError: true)!
            .GetMethod(method, BindingFlags.Static | BindingFlags.Public)!
            .Invoke(null, arguments);
}
