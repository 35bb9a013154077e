using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Runtime.CompilerServices;
using System.Text.RegularExpressions;
using System.Threading;
using NUnit.Framework;
using RecordingApp;

namespace Tracing.Recording.Tests;

/// <summary>
/// TraceRecorder in-process: each file is loaded with DevTools' trace engine and the assertions are
/// on what it parsed (threads by name, events in order with their arguments, slices).
/// </summary>
[NonParallelizable]
public class RecorderTests
{
    const string Sent = "RecordingApp.Net.TraceSent";
    const string Step = "RecordingApp.Net.TraceStep";
    const string RequestStart = "RecordingApp.Net.TraceRequestStart";
    const string RequestDone = "RecordingApp.Net.TraceRequestDone";

    readonly List<string> _files = new();

    [TearDown]
    public void DeleteFiles()
    {
        foreach (var file in _files) File.Delete(file);
        _files.Clear();
    }

    string NewFile()
    {
        var path = Path.Combine(Path.GetTempPath(), $"tracing-recording-{Guid.NewGuid():N}.json");
        _files.Add(path);
        return path;
    }

    static TraceRecorderOptions Options(params string[] events)
    {
        var options = new TraceRecorderOptions { ProcessName = "recording tests", Report = null };
        foreach (var e in events) options.Events.Add(e);
        return options;
    }

    /// <summary>Runs <paramref name="work"/> on a new thread with that name, to its end.</summary>
    static long OnThread(string name, Action work)
    {
        long osThreadId = 0;
        Exception? error = null;
        var thread = new Thread(() =>
        {
            // The OS's own id for the thread, read independently of the recorder: /proc/thread-self -> PID/task/TID.
            osThreadId = long.Parse(Path.GetFileName(new DirectoryInfo("/proc/thread-self").ResolveLinkTarget(false)!.FullName));
            try
            {
                work();
            }
            catch (Exception e)
            {
                error = e;
            }
        }) { Name = name };
        thread.Start();
        Assert.That(thread.Join(TimeSpan.FromSeconds(30)), Is.True, $"thread {name} did not end");
        if (error is not null) throw new AssertionException($"thread {name} failed: {error}");
        return osThreadId;
    }

    [Test]
    public void EveryFiringIsAnInstantOnItsThreadTrackWithItsArgumentsByName()
    {
        var path = NewFile();
        var probed = new List<string>();
        long tid1, tid2;
        using var pg = new ProbeGroup();
        using (var recorder = TraceRecorder.Start(path, Options(Sent)))
        {
            Trace.Setup(() => Net.TraceSent_Attach(pg, (to, bytes) => probed.Add($"{to}:{bytes}"))); // composes with a typed probe
            tid1 = OnThread("worker one", () =>
            {
                Net.Send("alpha", 1);
                Net.Step(1, "not selected");
                Net.Send("beta", 2);
            });
            tid2 = OnThread("worker two", () => Net.Send("gamma", 3));
        }

        var trace = Viewer.Load(path);
        Assert.That(double.IsFinite(trace.Min) && double.IsFinite(trace.Max) && trace.Min > 0 && trace.Range >= 0, Is.True, $"bounds {trace.Min}..{trace.Max}");
        var one = trace.Thread("worker one");
        var two = trace.Thread("worker two");
        Assert.That(one.Events.Select(e => e.Text), Is.EqualTo(new[] { Sent + "(to=\"alpha\", bytes=1)", Sent + "(to=\"beta\", bytes=2)" }));
        Assert.That(two.Events.Select(e => e.Text), Is.EqualTo(new[] { Sent + "(to=\"gamma\", bytes=3)" }));
        Assert.That(trace.Events.Select(e => e.Ph).Distinct(), Is.EqualTo(new[] { "I" }));
        Assert.That(one.Events[0].Ts, Is.LessThanOrEqualTo(one.Events[1].Ts));
        Assert.That((one.Tid, two.Tid), Is.EqualTo((tid1, tid2)), "the tracks are the OS threads");
        Assert.That(one.ProcessName, Is.EqualTo("recording tests"));
        Assert.That(one.Pid, Is.EqualTo(Environment.ProcessId));
        Assert.That(probed, Is.EqualTo(new[] { "alpha:1", "beta:2", "gamma:3" }));

        var lines = File.ReadAllLines(path);
        Assert.That(lines[0], Is.EqualTo("["));
        Assert.That(lines[^1], Is.EqualTo("]"));
        Assert.That(lines[1], Does.StartWith("{"));
        Assert.That(lines[2..^1], Has.All.StartWith(",{").And.All.EndWith("}"), "one event per line after the first");
        var sent = lines.Where(l => l.Contains(Sent)).ToList();
        Assert.That(sent, Has.Count.EqualTo(3));
        Assert.That(sent, Has.All.Contains("\"ph\":\"I\",\"s\":\"t\""));
        Assert.That(sent, Has.All.Match("\"ts\":[0-9]+\\.[0-9]{3},"), "microseconds with three decimals");
        Assert.That(File.ReadAllText(path), Does.Not.Contain("displayTimeUnit"));
    }

    [Test]
    public void ArgumentsFollowTheSharedValueRulesAndObjectsAreTakenWhenTheEventFires()
    {
        var path = NewFile();
        var thing = new Mutable { Text = "before" };
        var id = Guid.Parse("01234567-89ab-cdef-0123-456789abcdef");
        var when = new DateTime(2026, 11, 30, 6, 0, 0, DateTimeKind.Utc);
        using (TraceRecorder.Start(path, Options("RecordingApp.Values.*")))
        {
            OnThread("values", () =>
            {
                Values.Numbers(-5, 7, 1.5, 3.125m, true, 'x');
                Values.Others(null, Color.Blue, when, TimeSpan.FromSeconds(1.5), id, null, thing);
                thing.Text = "after";
                Values.Others("quote \" and\nnewline", Color.Green, when, TimeSpan.Zero, Guid.Empty, 5, thing);
                Values.Numbers(long.MinValue, uint.MaxValue, double.NaN, -0.5m, false, '"');
            });
        }

        Assert.That(Viewer.Load(path).Thread("values").Events.Select(e => e.Text), Is.EqualTo(new[]
        {
            "RecordingApp.Values.TraceNumbers(l=-5, u=7, d=1.5, m=3.125, b=true, c=\"x\")",
            "RecordingApp.Values.TraceOthers(s=null, color=\"Blue\", when=\"2026-11-30T06:00:00.0000000Z\", span=\"00:00:01.5000000\", " +
                "id=\"01234567-89ab-cdef-0123-456789abcdef\", maybe=null, thing=\"before\")",
            "RecordingApp.Values.TraceOthers(s=\"quote \\\" and\\nnewline\", color=\"Green\", when=\"2026-11-30T06:00:00.0000000Z\", span=\"00:00:00\", " +
                "id=\"00000000-0000-0000-0000-000000000000\", maybe=5, thing=\"after\")",
            // JavaScript's numbers are doubles: the viewer rounds a 64-bit integer the file holds exactly.
            "RecordingApp.Values.TraceNumbers(l=-9223372036854776000, u=4294967295, d=\"NaN\", m=-0.5, b=false, c=\"\\\"\")",
        }));
        Assert.That(File.ReadAllText(path), Does.Contain("\"args\":{\"l\":-9223372036854775808,\"u\":4294967295,"));
    }

    [Test]
    public void ConfiguredSpansBecomeSlicesWithDurationsThatNest()
    {
        var path = NewFile();
        var options = Options(Step);
        options.Spans.Add((RequestStart, RequestDone));
        using (TraceRecorder.Start(path, options))
        {
            OnThread("spans", () =>
            {
                Net.TraceRequestDone(499); // an end with no begin on its thread: an instant
                Net.Request("/outer", 200, () =>
                {
                    Net.Step(1, "inside");
                    Net.Request("/inner", 404);
                });
                Net.Send("not selected", 0);
            });
        }

        var events = Viewer.Load(path).Thread("spans").Events;
        Assert.That(events.Select(e => (e.Ph, e.Text)), Is.EqualTo(new[]
        {
            ("I", RequestDone + "(status=499)"),
            ("X", RequestStart + "(url=\"/outer\")"),
            ("I", Step + "(n=1, text=\"inside\")"),
            ("X", RequestStart + "(url=\"/inner\")"),
        }));
        var (outer, inner) = (events[1], events[3]);
        Assert.That(outer.Dur, Is.GreaterThan(0));
        Assert.That(inner.Dur, Is.GreaterThan(0));
        Assert.That(inner.Ts, Is.GreaterThan(outer.Ts));
        Assert.That(inner.Ts + inner.Dur!.Value, Is.LessThanOrEqualTo(outer.Ts + outer.Dur!.Value), "the inner slice is inside the outer one");
        var ends = File.ReadAllLines(path).Where(l => l.Contains("\"ph\":\"E\"")).ToList();
        Assert.That(ends, Has.Count.EqualTo(2));
        Assert.That(ends, Has.All.Contains("\"name\":\"" + RequestStart + "\"").And.All.Contains("\"status\":"), "an end carries the begin's name and its own arguments");
    }

    [Test]
    public void TwoRecordersAtOnceEachWriteTheirOwnFile()
    {
        var (all, steps) = (NewFile(), NewFile());
        var first = TraceRecorder.Start(all, Options());
        OnThread("both", () =>
        {
            Net.Send("one", 1);
            using (TraceRecorder.Start(steps, Options(Step)))
            {
                Net.Step(1, "two");
                Net.Send("three", 3);
            }
            Net.Step(2, "four");
        });
        first.Dispose();

        Assert.That(Viewer.Load(all).Thread("both").Events.Select(e => e.Text), Is.EqualTo(new[]
        {
            Sent + "(to=\"one\", bytes=1)", Step + "(n=1, text=\"two\")", Sent + "(to=\"three\", bytes=3)", Step + "(n=2, text=\"four\")",
        }));
        Assert.That(Viewer.Load(steps).Thread("both").Events.Select(e => e.Text), Is.EqualTo(new[] { Step + "(n=1, text=\"two\")" }));
        Assert.That(first.RecordedEvents, Is.EqualTo(4));
    }

    [Test]
    public void ARecorderStartedWhileOtherThreadsFireRecordsOnlyWholeEvents()
    {
        var path = NewFile();
        var texts = Enumerable.Range(0, 1000).Select(i => "v" + i).ToArray();
        var stop = 0;
        var fired = new long[2];
        var threads = Enumerable.Range(0, 2).Select(t => new Thread(() =>
        {
            for (var n = 0; Volatile.Read(ref stop) == 0; n++)
            {
                Net.Step(n, texts[n % 1000]);
                Volatile.Write(ref fired[t], n + 1);
            }
        }) { Name = "firing " + t }).ToList();
        threads.ForEach(t => t.Start());
        long dropped;
        try
        {
            Assert.That(SpinWait.SpinUntil(() => fired.All(f => Volatile.Read(ref f) > 1000), TimeSpan.FromSeconds(30)), Is.True, "the threads fire");
            var recorder = TraceRecorder.Start(path, Options(Step));
            var atStart = fired.ToArray();
            Assert.That(SpinWait.SpinUntil(() => fired.Select((f, i) => Volatile.Read(ref fired[i]) - atStart[i]).All(d => d > 1000), TimeSpan.FromSeconds(30)), Is.True);
            recorder.Dispose();
            dropped = recorder.DroppedEvents;
        }
        finally
        {
            Volatile.Write(ref stop, 1);
            threads.ForEach(t => t.Join(TimeSpan.FromSeconds(30)));
        }

        var trace = Viewer.Load(path);
        var gaps = 0L;
        foreach (var name in new[] { "firing 0", "firing 1" })
        {
            var events = trace.Thread(name).Events.Where(e => e.Name == Step).ToList();
            Assert.That(events, Is.Not.Empty);
            var numbers = events.Select(e => e.Args["n"].GetInt64()).ToList();
            Assert.That(events.Select(e => e.Args["text"].GetString()), Is.EqualTo(numbers.Select(n => "v" + n % 1000)), "every event is whole: its text matches its number");
            for (var i = 1; i < numbers.Count; i++)
            {
                Assert.That(numbers[i], Is.GreaterThan(numbers[i - 1]), "in firing order");
                gaps += numbers[i] - numbers[i - 1] - 1;
            }
        }
        Assert.That(gaps, Is.LessThanOrEqualTo(dropped), "an event missing between two recorded ones was counted as dropped");
        var droppedInFile = trace.Events.Where(e => e.Name == TraceRecorder.DroppedEventName).Sum(e => e.Args["dropped"].GetInt64());
        Assert.That(droppedInFile, Is.EqualTo(dropped), "the file states every drop");
    }

    [Test]
    public void EventsOfAnAssemblyLoadedAfterTheRecorderStartedAreRecorded()
    {
        Assert.That(AppDomain.CurrentDomain.GetAssemblies().Select(a => a.GetName().Name), Does.Not.Contain("RecordingLate"),
            "this test must load RecordingLate itself");
        var path = NewFile();
        using (TraceRecorder.Start(path, Options("RecordingLate.*")))
            OnThread("late", () => FireLate(9));

        Assert.That(Viewer.Load(path).Thread("late").Events.Select(e => e.Text), Is.EqualTo(new[] { "RecordingLate.Late.TraceLoaded(what=\"late\", n=9)" }));
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    static void FireLate(int n) => RecordingLate.Late.Fire(n);

    [Test]
    public void GlobsAndSpanEventsThatMatchNothingAreReportedAtDispose()
    {
        var report = new StringWriter();
        var options = Options(Step, "RecordingApp.Net.TraceStepp", "Nope.*");
        options.Spans.Add((RequestStart, "RecordingApp.Net.TraceRequestDon"));
        options.Report = report;
        using (TraceRecorder.Start(NewFile(), options)) Net.Step(1, "matched");

        Assert.That(report.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.TrimEnd()), Is.EqualTo(new[]
        {
            "Tracing.Recording: the glob RecordingApp.Net.TraceStepp matched no trace event of the assemblies loaded; a misspelt name records nothing.",
            "Tracing.Recording: the glob Nope.* matched no trace event of the assemblies loaded; a misspelt name records nothing.",
            "Tracing.Recording: the span event RecordingApp.Net.TraceRequestDon matched no trace event of the assemblies loaded; a misspelt name records nothing.",
        }), "the glob and the span event that match are not reported");
    }

    [Test]
    public void EventsThatFindTheBufferFullAreCountedWrittenAndReported()
    {
        var path = NewFile();
        var report = new StringWriter();
        var options = Options(Step);
        options.ThreadBufferSize = 64 * 1024; // 2,048 slots: 682 events of two arguments
        options.Report = report;
        const int Fired = 1_000_000;
        var recorder = TraceRecorder.Start(path, options);
        OnThread("flood", () =>
        {
            for (var n = 0; n < Fired; n++) Net.Step(n, "flood");
        });
        recorder.Dispose();

        Assert.That(recorder.DroppedEvents, Is.GreaterThan(0));
        Assert.That(recorder.RecordedEvents + recorder.DroppedEvents, Is.EqualTo(Fired), "every firing is recorded or counted");
        var thread = Viewer.Load(path).Thread("flood");
        Assert.That(thread.Events.Count(e => e.Name == Step), Is.EqualTo(recorder.RecordedEvents));
        var drops = thread.Events.Where(e => e.Name == TraceRecorder.DroppedEventName).ToList();
        Assert.That(drops.Sum(e => e.Args["dropped"].GetInt64()), Is.EqualTo(recorder.DroppedEvents));
        Assert.That(drops[^1].Args["total"].GetInt64(), Is.EqualTo(recorder.DroppedEvents));
        Assert.That(report.ToString(), Does.StartWith($"Tracing.Recording: {recorder.DroppedEvents} events were dropped in {path} because a thread's buffer was full"));
    }

    [Test]
    public void AnEventFiredWhileAnotherIsBeingRecordedOnTheSameThreadTakesItsPlaceAndTheOtherIsCounted()
    {
        var path = NewFile();
        var reentrant = new Mutable();
        var recorder = TraceRecorder.Start(path, Options("RecordingApp.Values.TraceOthers", Sent));
        OnThread("nested", () =>
        {
            var nested = new NestedToString();
            Values.Others("outer", Color.Red, default, default, default, null, nested);
            Net.Send("after", 2);
        });
        recorder.Dispose();

        Assert.That(Viewer.Load(path).Thread("nested").Events.Where(e => e.Name != TraceRecorder.DroppedEventName).Select(e => e.Text),
            Is.EqualTo(new[] { Sent + "(to=\"from ToString\", bytes=1)", Sent + "(to=\"after\", bytes=2)" }));
        Assert.That(recorder.DroppedEvents, Is.EqualTo(1));
    }

    sealed class NestedToString : Mutable
    {
        public override string ToString()
        {
            Net.Send("from ToString", 1);
            return "nested";
        }
    }

    [Test]
    public void RecordingAnEventAllocatesNothingOnTheFiringThread()
    {
        var path = NewFile();
        var allocated = -1L;
        using (TraceRecorder.Start(path, Options(Step)))
        {
            OnThread("allocations", () =>
            {
                for (var i = 0; i < 100; i++) Net.Step(i, "warm"); // the thread's first event allocates its buffer
                var before = GC.GetAllocatedBytesForCurrentThread();
                for (var i = 0; i < 1000; i++) Net.Step(i, "steady");
                allocated = GC.GetAllocatedBytesForCurrentThread() - before;
            });
        }
        Assert.That(allocated, Is.EqualTo(0));
    }

    [Test]
    public void EventsTheRecorderDoesNotSelectKeepNoProbe()
    {
        static object? Probes(string name) =>
            typeof(Net).GetField($"<{name}>probes", System.Reflection.BindingFlags.Static | System.Reflection.BindingFlags.NonPublic)!.GetValue(null);
        using (TraceRecorder.Start(NewFile(), Options(Step)))
        {
            Assert.That(Probes("TraceStep"), Is.Not.Null);
            Assert.That(Probes("TraceSent"), Is.Null, "a call site of an event that is not selected stays one load and one branch");
        }
        Assert.That(Probes("TraceStep"), Is.Null, "Dispose detaches");
    }

    [TestCase("", "the path of the trace file is empty")]
    public void AnEmptyPathIsAClearError(string path, string message) =>
        Assert.That(() => TraceRecorder.Start(path), Throws.ArgumentException.With.Message.Contains(message));

    [Test]
    public void StartUnderTheTraceLockSaysTheLockIsNotReentrantAndLeavesNoFile()
    {
        var path = NewFile();
        Trace.Lock();
        try
        {
            Assert.That(() => TraceRecorder.Start(path), Throws.InvalidOperationException.With.Message.Contains("not re-entrant"));
        }
        finally
        {
            Trace.Unlock();
        }
        Assert.That(File.Exists(path), Is.False, "no recording, no file (not half of one)");
        using (TraceRecorder.Start(path)) { } // the path was given back
    }

    [Test]
    public void ASecondRecorderOfTheSameFileIsAClearError()
    {
        var path = NewFile();
        using (var first = TraceRecorder.Start(path, Options(Step)))
        {
            var relative = Path.GetRelativePath(Environment.CurrentDirectory, path);
            Assert.That(() => TraceRecorder.Start(relative), Throws.InstanceOf<IOException>().With.Message.Contains("is already being written by another TraceRecorder"));
            Net.Step(1, "first");
        }
        Assert.That(Viewer.Load(path).Events.Select(e => e.Name), Has.Some.EqualTo(Step), "the first recording is intact");
        using (TraceRecorder.Start(path)) { } // free again once the first is disposed
    }

    [Test]
    public void ADirectoryIsNotATraceFile() =>
        Assert.That(() => TraceRecorder.Start(Path.GetTempPath()), Throws.ArgumentException.With.Message.Contains("is a directory"));

    [Test]
    public void ValidateChecksTheOptionsWithoutStartingAnything()
    {
        var span = Options();
        span.Spans.Add(("RecordingApp:" + RequestStart, RequestDone));
        Assert.That(() => span.Validate(), Throws.ArgumentException.With.Message.Contains("a span is a pair of full event names"));
        var slow = Options();
        slow.FlushInterval = TimeSpan.FromSeconds(1);
        Assert.That(() => slow.Validate(), Throws.InstanceOf<ArgumentOutOfRangeException>());
        Assert.That(() => Options(Step).Validate(), Throws.Nothing);
    }

    [Test]
    public void BadOptionsAreClearErrors()
    {
        var path = NewFile();
        var glob = Options("RecordingApp.[");
        Assert.That(() => TraceRecorder.Start(path, glob), Throws.ArgumentException.With.Message.Contains("RecordingApp.["));
        var span = Options();
        span.Spans.Add((RequestStart + "*", RequestDone));
        Assert.That(() => TraceRecorder.Start(path, span), Throws.ArgumentException.With.Message.Contains("a span is a pair of full event names"));
        var qualified = Options();
        qualified.Spans.Add(("RecordingApp:" + RequestStart, RequestDone)); // the Events globs accept an assembly; a span's names never match one
        Assert.That(() => TraceRecorder.Start(path, qualified), Throws.ArgumentException.With.Message.Contains("a span is a pair of full event names"));
        var twice = Options();
        twice.Spans.Add((RequestStart, RequestDone));
        twice.Spans.Add((RequestDone, Step));
        Assert.That(() => TraceRecorder.Start(path, twice), Throws.ArgumentException.With.Message.Contains($"{RequestDone} is in more than one span"));
        var slow = Options();
        slow.FlushInterval = TimeSpan.FromSeconds(1);
        Assert.That(() => TraceRecorder.Start(path, slow), Throws.InstanceOf<ArgumentOutOfRangeException>().With.Message.Contains("at most 200 ms"));
    }
}
