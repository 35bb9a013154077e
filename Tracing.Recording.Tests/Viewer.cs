using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Text.Json;
using NUnit.Framework;

namespace Tracing.Recording.Tests;

/// <summary>An event as DevTools' trace engine parsed it.</summary>
public sealed record ViewerEvent(string Name, string Ph, double Ts, double? Dur, Dictionary<string, JsonElement> Args)
{
    /// <summary><c>Name(arg=value, …)</c> with the arguments' JSON text, for exact comparisons.</summary>
    public string Text => $"{Name}({string.Join(", ", Args.Select(a => $"{a.Key}={a.Value.GetRawText()}"))})";
}

/// <summary>A thread (track) as DevTools' trace engine parsed it.</summary>
public sealed record ViewerThread(long Pid, long Tid, string? Name, string? ProcessName, List<ViewerEvent> Events);

/// <summary>What DevTools' trace engine made of a file: its bounds and its threads.</summary>
public sealed record ViewerTrace(double Min, double Max, double Range, List<ViewerThread> Threads)
{
    public ViewerThread Thread(string name) =>
        Threads.SingleOrDefault(t => t.Name == name)
        ?? throw new AssertionException($"the trace engine found no thread named '{name}'; it found: {string.Join(", ", Threads.Select(t => t.Name ?? t.Tid.ToString()))}");

    public IEnumerable<ViewerEvent> Events => Threads.SelectMany(t => t.Events);
}

/// <summary>
/// Loads a recorded file with DevTools' own trace engine (npm @paulirish/trace_engine 0.0.65,
/// through viewer/parse-trace.mjs), the way the Performance panel loads it.
/// </summary>
public static class Viewer
{
    static string Metadata(string key) =>
        typeof(Viewer).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == key).Value!;

    public static string RepositoryRoot => Metadata("RepositoryRoot");

    public static string Configuration => Metadata("Configuration");

    static string Directory => Path.Combine(RepositoryRoot, "Tracing.Recording.Tests", "viewer");

    public static ViewerTrace Load(string path)
    {
        var engine = Path.Combine(Directory, "node_modules", "@paulirish", "trace_engine", "package.json");
        if (!File.Exists(engine))
            Assert.Fail($"DevTools' trace engine is not installed ({engine} is missing): run .ci/install-test-tools (it installs node and npm @paulirish/trace_engine 0.0.65).");
        var (code, output, error) = Processes.Run("node", new[] { Path.Combine(Directory, "parse-trace.mjs"), path }, TimeSpan.FromSeconds(60),
            missing: "node is not installed: run .ci/install-test-tools.");
        if (code != 0) Assert.Fail($"the trace engine could not load {path} (exit {code}):\n{error}");
        var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        var options = new JsonSerializerOptions { PropertyNameCaseInsensitive = true };
        using var bounds = JsonDocument.Parse(lines[0]);
        var threads = lines.Skip(1).Select(l => JsonSerializer.Deserialize<ViewerThread>(l, options)!).ToList();
        double Number(string name) => bounds.RootElement.GetProperty(name).ValueKind == JsonValueKind.Number ? bounds.RootElement.GetProperty(name).GetDouble() : double.NaN;
        return new ViewerTrace(Number("min"), Number("max"), Number("range"), threads);
    }
}

/// <summary>Runs a process to its end, bounded.</summary>
public static class Processes
{
    public static (int Code, string Output, string Error) Run(string file, IEnumerable<string> args, TimeSpan timeout, string? missing = null,
        IDictionary<string, string>? environment = null)
    {
        using var process = Start(file, args, missing, environment);
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit((int)timeout.TotalMilliseconds))
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail($"{file} {string.Join(" ", args)} did not end within {timeout.TotalSeconds} s");
        }
        process.WaitForExit();
        return (process.ExitCode, output.Result, error.Result);
    }

    public static Process Start(string file, IEnumerable<string> args, string? missing = null, IDictionary<string, string>? environment = null)
    {
        var info = new ProcessStartInfo(file)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in args) info.ArgumentList.Add(arg);
        if (environment is not null)
            foreach (var (key, value) in environment) info.Environment[key] = value;
        try
        {
            return Process.Start(info)!;
        }
        catch (System.ComponentModel.Win32Exception e) when (missing is not null)
        {
            Assert.Fail($"{missing} ({e.Message})");
            throw;
        }
    }
}
