using System;
using System.Collections.Concurrent;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Threading;
using NUnit.Framework;

namespace Tracing.EventPipe.Tests;

/// <summary>
/// fixtures/EventPipeTarget as a child process: it fires its events until disposed, and answers
/// "probes" with the events that have probes attached. Every wait is bounded.
/// </summary>
sealed class TracedProcess : IDisposable
{
    static readonly TimeSpan Answer = TimeSpan.FromSeconds(15);
    readonly Process _process;
    readonly BlockingCollection<string> _lines = new();
    readonly string? _copy;

    /// <summary>
    /// Starts the fixture with the net10.0 build of Tracing.Runtime, which it was built with, or
    /// with the build for <paramref name="runtimeFramework"/> in its place (a copy of the fixture's
    /// folder with that Tracing.Runtime.dll, same assembly name and version): the net8.0 build is
    /// what an app on .NET 8 or 9 runs, and its bridge finds EventPipe by reflection.
    /// </summary>
    /// <param name="runtimeFramework">The build of Tracing.Runtime the fixture runs with.</param>
    /// <param name="configProperties">AppContext switches set in the copy's runtimeconfig.json, as an app sets them in its project.</param>
    public TracedProcess(string runtimeFramework = "net10.0", params (string Name, bool Value)[] configProperties)
    {
        var folder = Path.Combine(Repo.Root, "fixtures", "EventPipeTarget", "bin", Repo.Configuration, "net10.0");
        var dll = Path.Combine(folder, "EventPipeTarget.dll");
        Assert.That(File.Exists(dll), Is.True, $"{dll} is missing: build the solution first");
        if (runtimeFramework != "net10.0" || configProperties.Length > 0)
        {
            _copy = Path.Combine(Path.GetTempPath(), "tracing-eventpipe-target-" + Guid.NewGuid().ToString("N"));
            Directory.CreateDirectory(_copy);
            foreach (var file in Directory.GetFiles(folder)) File.Copy(file, Path.Combine(_copy, Path.GetFileName(file)));
            dll = Path.Combine(_copy, "EventPipeTarget.dll");
        }
        if (runtimeFramework != "net10.0")
        {
            var runtime = Path.Combine(Repo.Root, "Tracing.Runtime", "bin", Repo.Configuration, runtimeFramework, "Tracing.Runtime.dll");
            Assert.That(File.Exists(runtime), Is.True, $"{runtime} is built with this test project (through Tracing.Cli)");
            File.Copy(runtime, Path.Combine(_copy!, "Tracing.Runtime.dll"), overwrite: true);
        }
        if (configProperties.Length > 0)
        {
            var file = Path.Combine(_copy!, "EventPipeTarget.runtimeconfig.json");
            var config = System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(file))!;
            var properties = config["runtimeOptions"]!["configProperties"] ??= new System.Text.Json.Nodes.JsonObject();
            foreach (var (name, value) in configProperties) properties[name] = value;
            File.WriteAllText(file, config.ToJsonString());
        }
        var start = new ProcessStartInfo("dotnet") { RedirectStandardInput = true, RedirectStandardOutput = true, UseShellExecute = false };
        start.ArgumentList.Add(dll);
        _process = Process.Start(start)!;
        _process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is not null) _lines.Add(e.Data);
        };
        _process.BeginOutputReadLine();
        var ready = Next("ready ");
        Id = int.Parse(ready.Substring("ready ".Length));
    }

    public int Id { get; }

    public bool HasExited => _process.HasExited;

    /// <summary>Sends a command line.</summary>
    public void Send(string command)
    {
        _process.StandardInput.WriteLine(command);
        _process.StandardInput.Flush();
    }

    /// <summary>The events whose probe list is not empty now.</summary>
    public string[] Probes()
    {
        Send("probes");
        return Next("probes:").Substring("probes:".Length).Split(' ', StringSplitOptions.RemoveEmptyEntries);
    }

    /// <summary>The Tracing EventSource's name if the process has one, else null.</summary>
    public string? Source()
    {
        Send("source");
        var name = Next("source:").Substring("source:".Length).Trim();
        return name.Length == 0 ? null : name;
    }

    /// <summary>Asks for the probes until <paramref name="done"/> holds; fails after <paramref name="limit"/>.</summary>
    public string[] WaitForProbes(Func<string[], bool> done, TimeSpan limit, string what)
    {
        var watch = Stopwatch.StartNew();
        while (true)
        {
            var probes = Probes();
            if (done(probes)) return probes;
            if (watch.Elapsed > limit) Assert.Fail($"{what}: not so after {limit.TotalSeconds} s; attached: [{string.Join(", ", probes)}]");
            Thread.Sleep(100);
        }
    }

    string Next(string prefix)
    {
        var watch = Stopwatch.StartNew();
        while (watch.Elapsed < Answer)
        {
            if (_lines.TryTake(out var line, TimeSpan.FromMilliseconds(200)) && line.StartsWith(prefix, StringComparison.Ordinal)) return line;
            if (_process.HasExited && _lines.Count == 0) Assert.Fail($"EventPipeTarget exited ({_process.ExitCode}) before it said \"{prefix}\"");
        }
        Assert.Fail($"EventPipeTarget did not say \"{prefix}\" within {Answer.TotalSeconds} s");
        return "";
    }

    public void Dispose()
    {
        try
        {
            if (!_process.HasExited)
            {
                Send("quit");
                if (!_process.WaitForExit(5000)) _process.Kill(entireProcessTree: true);
            }
        }
        catch (IOException)
        {
            // Already gone.
        }
        _process.Dispose();
        if (_copy is not null) Directory.Delete(_copy, recursive: true);
    }
}

/// <summary>Where the repository and the fixtures' builds are.</summary>
static class Repo
{
    public static string Root { get; } = Metadata("RepositoryRoot");
    public static string Configuration { get; } = Metadata("Configuration");

    static string Metadata(string key) =>
        typeof(Repo).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == key).Value!;
}
