using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Text.Json;
using NUnit.Framework;

namespace Tracing.EventPipe.Tests;

/// <summary>
/// `tracing record -p`, `tracing list -p` and `tracing ps` against a running woven process, the
/// recorded file loaded with DevTools' trace engine (installed by .ci/install-test-tools).
/// </summary>
[TestFixture]
[NonParallelizable]
public class TracingToolTests
{
    static string Tool => Path.Combine(Repo.Root, "tools", "Tracing.Cli", "bin", Repo.Configuration, "net8.0", "Tracing.Cli.dll");

    static (int Code, string Output, string Error) Tracing(params string[] args)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(Tool);
        foreach (var a in args) start.ArgumentList.Add(a);
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(120_000))
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail($"tracing {string.Join(" ", args)} did not end within 120 s");
        }
        process.WaitForExit();
        return (process.ExitCode, output.Result, error.Result);
    }

    /// <summary>
    /// With each build of the runtime an app on modern .NET can run: net10.0 reaches EventPipe
    /// through UnsafeAccessor, net8.0 (an app on .NET 8 or 9) by reflection.
    /// </summary>
    [TestCase("net10.0")]
    [TestCase("net8.0")]
    public void RecordDashPWritesTheSelectedEventsWithArgumentsByNameForDevTools(string runtimeFramework)
    {
        using var target = new TracedProcess(runtimeFramework);
        var file = Path.Combine(Path.GetTempPath(), $"tracing-record-p-{Guid.NewGuid():N}.json");
        try
        {
            var before = Stopwatch.GetTimestamp();
            var (code, output, error) = Tracing("record", "-p", target.Id.ToString(), "-o", file, "--events", "Shop.Orders.*",
                "--duration", "00:00:04");
            var after = Stopwatch.GetTimestamp();

            Assert.That(code, Is.Zero, error);
            // What the in-process recorder writes: the app's name, and the Stopwatch time of each
            // firing in µs (the same clock in every process of this machine: the test's brackets it).
            using (var json = JsonDocument.Parse(File.ReadAllText(file)))
            {
                var records = json.RootElement.EnumerateArray().ToList();
                Assert.That(records.Single(r => r.GetProperty("name").GetString() == "process_name").GetProperty("args").GetProperty("name").GetString(),
                    Is.EqualTo("EventPipeTarget"));
                var microseconds = records.Where(r => r.GetProperty("ph").GetString() == "I").Select(r => r.GetProperty("ts").GetDouble()).ToList();
                Assert.That(microseconds, Is.Not.Empty);
                Assert.That(microseconds, Has.All.InRange(before * 1e6 / Stopwatch.Frequency, after * 1e6 / Stopwatch.Frequency));
            }
            Assert.That(output, Does.Match(@"tracing record: \d+ events in " + System.Text.RegularExpressions.Regex.Escape(file)));
            var events = Engine(file);
            Assert.That(events, Is.Not.Empty, "DevTools' trace engine found the events");
            Assert.That(events.Select(e => e.Name).Distinct(), Is.EquivalentTo(new[] { "Shop.Orders.TraceOrder", "Shop.Orders.TraceValues" }));
            var orders = events.Where(e => e.Name == "Shop.Orders.TraceOrder").ToList();
            Assert.That(orders.Select(e => e.Args["item"].GetString()), Has.All.EqualTo("apple"));
            Assert.That(orders.Select(e => e.Thread), Has.All.EqualTo("firing"), "the firing thread's track has its name (the bridge's ThreadName event)");
            var counts = orders.Select(e => e.Args["count"].GetInt64()).ToList();
            Assert.That(counts, Is.EqualTo(Enumerable.Range((int)counts[0], counts.Count).Select(i => (long)i)), "every firing, in order");
            // A field of every kind the bridge writes, decoded from EventPipe's encoding by the tool.
            var values = events.First(e => e.Name == "Shop.Orders.TraceValues").Args.ToDictionary(a => a.Key, a => a.Value.GetRawText());
            Assert.That(values, Is.EqualTo(new Dictionary<string, string>
            {
                ["big"] = "-5000000000",
                ["unsigned"] = "18000000000000000000",
                ["ratio"] = "0.25",
                ["paid"] = "true",
                ["grade"] = "\"A\"",
                ["at"] = "\"2024-05-06T07:08:09.0000000Z\"",
                ["took"] = "15000000",
                ["id"] = "\"0f8fad5b-d9cb-469f-a165-70867728950e\"",
                ["day"] = "\"Friday\"",
                ["maybe"] = "0",
                ["anything"] = "\"42\"",
                ["nothing"] = "\"\"",
            }));
            target.WaitForProbes(p => p.Length == 0, TimeSpan.FromSeconds(60), "the recording ended: the probe lists are empty again");
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Test]
    public void ListDashPPrintsTheEventsOfTheProcesssWovenAssembliesAndPsFindsIt()
    {
        using var target = new TracedProcess();

        var (code, output, error) = Tracing("list", "-p", target.Id.ToString());
        Assert.That(code, Is.Zero, error);
        Assert.That(output.Split('\n', StringSplitOptions.RemoveEmptyEntries), Is.EqualTo(new[]
        {
            "EventPipeTarget:Shop.Net.TraceSent(int bytes)",
            "EventPipeTarget:Shop.Orders.TraceOrder(string item, int count)",
            "EventPipeTarget:Shop.Orders.TraceValues(long big, ulong unsigned, double ratio, bool paid, char grade, System.DateTime at, " +
            "System.TimeSpan took, System.Guid id, System.DayOfWeek day, int? maybe, object anything, string nothing)",
        }), "EventPipeLate is not loaded yet, so it is not listed");

        var ps = Tracing("ps");
        Assert.That(ps.Code, Is.Zero, ps.Error);
        Assert.That(ps.Output.Split('\n').Select(l => l.Trim()), Has.Some.StartsWith($"{target.Id} ").And.Some.Contains("EventPipeTarget.dll"));
    }

    [Test]
    public void RecordDashPOfAProcessWithTheBridgeSwitchedOffSaysWhyNothingArrived()
    {
        using var target = new TracedProcess(configProperties: ("Tracing.EventPipe.IsSupported", false));
        var file = Path.Combine(Path.GetTempPath(), $"tracing-record-p-{Guid.NewGuid():N}.json");
        try
        {
            var (code, output, error) = Tracing("record", "-p", target.Id.ToString(), "-o", file, "--duration", "00:00:03");
            Assert.That(code, Is.Zero, error);
            Assert.That(output, Does.Contain("tracing record: 0 events in "));
            Assert.That(error, Does.StartWith($"tracing record: no trace event arrived from process {target.Id}.")
                .And.Contains("Tracing.EventPipe.IsSupported=false"));
            // A complete JSON array with the process's name only (DevTools' engine gives such a file no bounds).
            using var json = JsonDocument.Parse(File.ReadAllText(file));
            Assert.That(json.RootElement.EnumerateArray().Select(e => e.GetProperty("ph").GetString()), Is.EqualTo(new[] { "M" }));
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Test]
    public void RecordDashPOfAProcessThatIsNotThereSaysSo()
    {
        var (code, _, error) = Tracing("record", "-p", "999999", "-o", Path.Combine(Path.GetTempPath(), "never.json"), "--duration", "00:00:01");
        Assert.That(code, Is.EqualTo(1));
        Assert.That(error, Does.StartWith("tracing record: cannot open a session with process 999999:"));
    }

    sealed record EngineEvent(string Name, string? Thread, Dictionary<string, JsonElement> Args);

    // The events DevTools' trace engine parsed from the file, in the order of its threads.
    static List<EngineEvent> Engine(string file)
    {
        var viewer = Path.Combine(Repo.Root, "Tracing.Recording.Tests", "viewer");
        if (!File.Exists(Path.Combine(viewer, "node_modules", "@paulirish", "trace_engine", "package.json")))
            Assert.Fail("DevTools' trace engine is not installed: run .ci/install-test-tools (node and npm @paulirish/trace_engine 0.0.65).");
        var start = new ProcessStartInfo("node") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(Path.Combine(viewer, "parse-trace.mjs"));
        start.ArgumentList.Add(file);
        using var node = Process.Start(start)!;
        var output = node.StandardOutput.ReadToEndAsync();
        var error = node.StandardError.ReadToEndAsync();
        if (!node.WaitForExit(60_000))
        {
            node.Kill(entireProcessTree: true);
            Assert.Fail("the trace engine did not end within 60 s");
        }
        node.WaitForExit();
        Assert.That(node.ExitCode, Is.Zero, error.Result);
        var lines = output.Result.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        using (var bounds = JsonDocument.Parse(lines[0]))
            Assert.That(bounds.RootElement.GetProperty("min").ValueKind, Is.EqualTo(JsonValueKind.Number), "the engine found the trace's bounds");
        var events = new List<EngineEvent>();
        foreach (var line in lines.Skip(1))
        {
            using var thread = JsonDocument.Parse(line);
            var threadName = thread.RootElement.GetProperty("name").ValueKind == JsonValueKind.String ? thread.RootElement.GetProperty("name").GetString() : null;
            foreach (var e in thread.RootElement.GetProperty("events").EnumerateArray())
            {
                events.Add(new EngineEvent(e.GetProperty("name").GetString()!, threadName,
                    e.GetProperty("args").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.Clone())));
            }
        }
        return events;
    }
}
