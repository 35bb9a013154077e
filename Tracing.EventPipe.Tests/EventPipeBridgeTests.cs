using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using Microsoft.Diagnostics.Tracing;
using NUnit.Framework;

namespace Tracing.EventPipe.Tests;

/// <summary>
/// The Tracing EventSource bridge in a real woven process, enabled by the real dotnet-trace and
/// dotnet-counters; each .nettrace read with TraceEvent.
/// </summary>
[TestFixture]
[NonParallelizable]
public class EventPipeBridgeTests
{
    static readonly TimeSpan Limit = TimeSpan.FromSeconds(60);
    const string Order = "Shop.Orders.TraceOrder";
    const string Values = "Shop.Orders.TraceValues";
    const string Sent = "Shop.Net.TraceSent";
    const string Late = "Late.Library.TraceLate";

    string _directory = "";

    [SetUp]
    public void CreateDirectory()
    {
        _directory = Path.Combine(Path.GetTempPath(), "tracing-eventpipe-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(_directory);
    }

    [TearDown]
    public void DeleteDirectory() => Directory.Delete(_directory, recursive: true);

    [Test]
    public void DotnetTraceReceivesTheSelectedEventsWithTheirFieldsByNameAndTheProbesGoWhenItEnds()
    {
        using var target = new TracedProcess();
        Assert.That(target.Probes(), Is.Empty, "no session: no probe");
        var file = Path.Combine(_directory, "events.nettrace");
        using (var trace = new DiagnosticsTool("dotnet-trace", "collect", "-p", target.Id.ToString(), "-o", file,
                   "--providers", "Tracing:0x1:5:events=Shop.Orders.* Late.*", "--duration", "00:00:00:08"))
        {
            target.WaitForProbes(p => p.Contains(Order), Limit, "the session's events are attached");
            target.Send("late"); // an assembly that starts running while the session is on
            var attached = target.WaitForProbes(p => p.Contains(Late), Limit, "the late assembly's event is attached");
            Assert.That(attached, Is.EqualTo(new[] { Late, Order, Values }), "only the events the session selected");
            trace.WaitForSuccess(Limit);
        }
        target.WaitForProbes(p => p.Length == 0, Limit, "the session ended: the probe lists are empty again");

        var events = Read(file);
        var orders = events.Where(e => e.Name == Order).ToList();
        Assert.That(orders, Is.Not.Empty, "Shop.Orders.TraceOrder was written");
        Assert.That(orders.Select(e => e.Fields.Keys.ToArray()), Has.All.EqualTo(new[] { "item", "count" }));
        Assert.That(orders.Select(e => e.Fields["item"]), Has.All.EqualTo("apple"));
        Assert.That(events.Where(e => e.Name == "ThreadName").Select(e => e.Fields["name"]), Has.Some.EqualTo("firing"),
            "a thread writes its name before its first trace event");
        var counts = orders.Select(e => (long)e.Fields["count"]!).ToList();
        Assert.That(counts, Is.EqualTo(Enumerable.Range((int)counts[0], counts.Count).Select(i => (long)i)), "every firing, in order");

        var values = events.First(e => e.Name == Values).Fields;
        Assert.That(values, Is.EqualTo(new Dictionary<string, object?>
        {
            ["big"] = -5_000_000_000L,
            ["unsigned"] = 18_000_000_000_000_000_000UL,
            ["ratio"] = 0.25,
            ["paid"] = true,
            ["grade"] = 'A',
            ["at"] = new DateTime(2024, 5, 6, 7, 8, 9, DateTimeKind.Utc).ToLocalTime(),
            ["took"] = TimeSpan.FromMilliseconds(1500).Ticks,
            ["id"] = new Guid("0f8fad5b-d9cb-469f-a165-70867728950e"),
            ["day"] = "Friday",
            ["maybe"] = 0L,
            ["anything"] = "42",
            ["nothing"] = "",
        }));

        var late = events.Where(e => e.Name == Late).ToList();
        Assert.That(late, Is.Not.Empty, "the late assembly's event was written");
        Assert.That(late[0].Fields["what"], Is.EqualTo("late"));
        Assert.That(events.Select(e => e.Name), Has.None.EqualTo(Sent), "an event the session did not select");
        Assert.That(Errors(events), Is.EqualTo(new[]
        {
            "Tracing: events=\"Late.*\" matches no trace event of the assemblies running now; it will match those of assemblies that start later.",
        }));
    }

    [Test]
    public void AMalformedGlobIsReportedToTheSessionAndAttachesNothing()
    {
        using var target = new TracedProcess();
        var file = Path.Combine(_directory, "bad.nettrace");
        using (var trace = new DiagnosticsTool("dotnet-trace", "collect", "-p", target.Id.ToString(), "-o", file,
                   "--providers", "Tracing:0x1:5:events=Shop.[Orders]", "--duration", "00:00:00:03"))
        {
            trace.WaitForSuccess(Limit);
        }

        var errors = Errors(Read(file));
        Assert.That(errors, Has.Count.EqualTo(1));
        Assert.That(errors[0], Does.StartWith("Tracing: the session's events=\"Shop.[Orders]\" is ignored: \"Shop.[Orders]\" is not a trace event glob"));
        Assert.That(Read(file).Where(e => e.Name.StartsWith("Shop.", StringComparison.Ordinal)), Is.Empty);
        Assert.That(target.Probes(), Is.Empty);
        Assert.That(target.HasExited, Is.False, "the traced process runs on");
    }

    [Test]
    public void ACountersSessionAttachesNothing()
    {
        using var target = new TracedProcess();
        using var counters = new DiagnosticsTool("dotnet-counters", "collect", "-p", target.Id.ToString(), "--counters", "Tracing",
            "-o", Path.Combine(_directory, "counters.csv"));
        var watch = System.Diagnostics.Stopwatch.StartNew();
        while (!counters.Output.Contains("Starting a counter session"))
        {
            if (counters.HasEnded || watch.Elapsed > Limit) Assert.Fail($"dotnet-counters did not start a session. Its output:\n{counters.Output}");
            System.Threading.Thread.Sleep(100);
        }
        // Its Enable command reaches the process at once; a bridge that attached would do so well within these seconds.
        watch.Restart();
        while (watch.Elapsed < TimeSpan.FromSeconds(4))
        {
            Assert.That(target.Probes(), Is.Empty, "a counters session attaches no probe");
            System.Threading.Thread.Sleep(200);
        }
        Assert.That(counters.HasEnded, Is.False, $"dotnet-counters kept its session while the probes were checked. Its output:\n{counters.Output}");
    }

    /// <summary>
    /// An app that sets Tracing.EventPipe.IsSupported to false (docs/eventpipe.md) has no bridge:
    /// no EventSource named Tracing, and a session that asks for every event attaches nothing. The
    /// same process with the switch unset has the source, and the same session attaches at once.
    /// </summary>
    [Test]
    public void TheAppContextSwitchTurnsTheBridgeOff()
    {
        using var off = new TracedProcess(configProperties: ("Tracing.EventPipe.IsSupported", false));
        using var on = new TracedProcess(configProperties: ("Tracing.EventPipe.IsSupported", true));
        using (new DiagnosticsTool("dotnet-trace", "collect", "-p", on.Id.ToString(), "-o", Path.Combine(_directory, "on.nettrace"),
                   "--providers", "Tracing:0x1:5", "--duration", "00:00:00:30"))
        {
            on.WaitForProbes(p => p.Contains(Order), Limit, "with the switch on, a session attaches");
        }
        Assert.That(on.Source(), Is.EqualTo("Tracing"));
        using (var trace = new DiagnosticsTool("dotnet-trace", "collect", "-p", off.Id.ToString(), "-o", Path.Combine(_directory, "off.nettrace"),
                   "--providers", "Tracing:0x1:5", "--duration", "00:00:00:30"))
        {
            // The same session attached within these seconds in the process with the switch on.
            var watch = System.Diagnostics.Stopwatch.StartNew();
            while (watch.Elapsed < TimeSpan.FromSeconds(4))
            {
                Assert.That(off.Probes(), Is.Empty, "the switch is off: a session attaches no probe");
                System.Threading.Thread.Sleep(200);
            }
            Assert.That(trace.HasEnded, Is.False, $"dotnet-trace kept its session while the probes were checked. Its output:\n{trace.Output}");
        }
        Assert.That(off.Source(), Is.Null, "the switch is off: no EventSource named Tracing");
    }

    [Test]
    public void AClientKilledMidSessionDetachesTheProbes()
    {
        using var target = new TracedProcess();
        using var trace = new DiagnosticsTool("dotnet-trace", "collect", "-p", target.Id.ToString(), "-o",
            Path.Combine(_directory, "killed.nettrace"), "--providers", "Tracing:0x1:5");
        target.WaitForProbes(p => p.Length == 3, Limit, "every event of the process is attached");
        trace.Kill();
        target.WaitForProbes(p => p.Length == 0, Limit, "the client was killed: the probe lists are empty again");
        Assert.That(target.HasExited, Is.False);
    }

    sealed record Event(string Name, Dictionary<string, object?> Fields);

    static List<Event> Read(string file)
    {
        Assert.That(File.Exists(file), Is.True, $"{file} was not written");
        var events = new List<Event>();
        using var source = new EventPipeEventSource(file);
        source.Dynamic.All += e =>
        {
            if (e.ProviderName != "Tracing") return;
            events.Add(new Event(e.EventName, e.PayloadNames.Select((n, i) => (n, e.PayloadValue(i))).ToDictionary(f => f.n, f => (object?)f.Item2)));
        };
        source.Process();
        return events;
    }

    static List<string> Errors(List<Event> events) =>
        events.Where(e => e.Name == "Error").Select(e => (string)e.Fields["message"]!).ToList();
}
