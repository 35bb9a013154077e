using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Text.RegularExpressions;
using NUnit.Framework;

namespace Tracing.Profiling.Tests;

/// <summary>
/// <c>go tool pprof</c>, the reference reader of the format (Debian's golang-go; .ci/run installs
/// it). A profile that pprof does not read cleanly (an exit code other than 0, or anything on its
/// standard error, where it reports malformed input) fails the test.
/// </summary>
static class Pprof
{
    static readonly TimeSpan Timeout = TimeSpan.FromSeconds(120);

    /// <summary>Runs pprof and returns what it printed; fails the test unless it read the profile cleanly.</summary>
    public static string Read(params string[] args)
    {
        var (exitCode, output, error) = Run(args);
        Assert.That(exitCode, Is.Zero, $"go tool pprof {string.Join(" ", args)} failed:\n{error}");
        Assert.That(error, Is.Empty, $"go tool pprof {string.Join(" ", args)} complained:\n{error}");
        return output;
    }

    /// <summary>The sample types, samples and locations of <c>go tool pprof -raw</c>.</summary>
    public static RawProfile Raw(string path) => RawProfile.Parse(Read("-raw", path));

    public static (int ExitCode, string Output, string Error) Run(params string[] args)
    {
        var go = FindGo() ?? throw new AssertionException(
            "go tool pprof is needed to read the profiles and `go` is not on PATH: run .ci/install-test-tools, which installs " +
            "Debian's golang-go, or `apt-get install -y golang-go`.");
        var start = new ProcessStartInfo(go) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add("tool");
        start.ArgumentList.Add("pprof");
        foreach (var arg in args) start.ArgumentList.Add(arg);
        return ProcessRunner.Run(start, Timeout);
    }

    static string? FindGo() =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator)
        .Select(dir => Path.Combine(dir, "go"))
        .FirstOrDefault(File.Exists);
}

/// <summary>A profile as <c>go tool pprof -raw</c> prints it.</summary>
sealed class RawProfile
{
    RawProfile(string text, List<string> sampleTypes, List<(long[] Values, string[] Stack, ulong[] Ids)> samples,
        Dictionary<ulong, string> locations)
    {
        Text = text;
        SampleTypes = sampleTypes;
        Samples = samples;
        Locations = locations;
    }

    public string Text { get; }

    /// <summary>Each sample type as <c>type/unit</c>, the default one marked <c>[dflt]</c>.</summary>
    public List<string> SampleTypes { get; }

    /// <summary>Each sample: its values, and its stack, leaf first, each frame as <c>Function File.cs:line</c>.</summary>
    public List<(long[] Values, string[] Stack, ulong[] Ids)> Samples { get; }

    /// <summary>Location id to <c>Function File.cs:line</c>.</summary>
    public Dictionary<ulong, string> Locations { get; }

    /// <summary>The samples as <c>values: frame ← frame ← …</c>, in a stable order, for exact comparison.</summary>
    public List<string> Stacks() =>
        Samples.Select(s => $"{string.Join(" ", s.Values)}: {string.Join(" <- ", s.Stack)}").OrderBy(s => s, StringComparer.Ordinal).ToList();

    /// <summary>The value of a header line such as <c>PeriodType</c> or <c>Period</c>.</summary>
    public string Header(string name) =>
        Text.Split('\n').Select(l => l.TrimEnd('\r')).FirstOrDefault(l => l.StartsWith(name + ": ", StringComparison.Ordinal))?.Substring(name.Length + 2)
        ?? throw new AssertionException($"pprof -raw printed no {name} line:\n{Text}");

    public static RawProfile Parse(string text)
    {
        var lines = text.Split('\n').Select(l => l.TrimEnd('\r')).ToList();
        var samplesAt = lines.IndexOf("Samples:");
        var locationsAt = lines.IndexOf("Locations");
        Assert.That(samplesAt, Is.GreaterThanOrEqualTo(0), "pprof -raw printed no samples:\n" + text);
        Assert.That(locationsAt, Is.GreaterThan(samplesAt), "pprof -raw printed no locations:\n" + text);
        var sampleTypes = lines[samplesAt + 1].Split(' ', StringSplitOptions.RemoveEmptyEntries).ToList();

        var locations = new Dictionary<ulong, string>();
        // id: address M=mapping Function File:line s=start_line, and (system name) where it differs from the name
        var location = new Regex(@"^\s*(\d+): 0x[0-9a-f]+ M=\d+ (\S+) (\S*):(\d+) s=\d+(?:\(\S+\))?$");
        for (var i = locationsAt + 1; i < lines.Count && lines[i] != "Mappings"; i++)
        {
            var m = location.Match(lines[i]);
            Assert.That(m.Success, $"unexpected location line \"{lines[i]}\" in:\n{text}");
            locations.Add(ulong.Parse(m.Groups[1].Value), $"{m.Groups[2].Value} {Path.GetFileName(m.Groups[3].Value)}:{m.Groups[4].Value}");
        }

        var samples = new List<(long[], string[], ulong[])>();
        for (var i = samplesAt + 2; i < locationsAt; i++)
        {
            var parts = lines[i].Split(':');
            Assert.That(parts, Has.Length.EqualTo(2), $"unexpected sample line \"{lines[i]}\" in:\n{text}");
            var values = parts[0].Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(long.Parse).ToArray();
            var ids = parts[1].Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(ulong.Parse).ToArray();
            samples.Add((values, ids.Select(id => locations[id]).ToArray(), ids));
        }
        return new RawProfile(text, sampleTypes, samples, locations);
    }
}

static class ProcessRunner
{
    /// <summary>Runs a process to its end, at most <paramref name="timeout"/>; its output and error are read as it writes them.</summary>
    public static (int ExitCode, string Output, string Error) Run(ProcessStartInfo start, TimeSpan timeout)
    {
        using var process = Process.Start(start) ?? throw new AssertionException($"{start.FileName} did not start");
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit((int)timeout.TotalMilliseconds))
        {
            process.Kill(entireProcessTree: true);
            throw new AssertionException($"{start.FileName} {string.Join(" ", start.ArgumentList)} did not end within {timeout.TotalSeconds} s");
        }
        process.WaitForExit();
        return (process.ExitCode, output.Result, error.Result);
    }
}
