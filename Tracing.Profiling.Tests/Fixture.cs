using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Reflection;
using NUnit.Framework;

namespace Tracing.Profiling.Tests;

/// <summary>
/// fixtures/ProfilingFixture run as its own program, which profiles itself: each stack then ends
/// at its Main. Each mode runs once per test run; its profile is kept in a temporary folder.
/// </summary>
static class Fixture
{
    static readonly Dictionary<string, (string Path, string Output)> s_runs = new();
    static readonly string s_folder = Path.Combine(Path.GetTempPath(), "tracing-profiling-tests-" + Environment.ProcessId);

    public static string RepositoryRoot => typeof(Fixture).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
        .Single(a => a.Key == "RepositoryRoot").Value!;

    /// <summary>The path of the profile that mode <paramref name="mode"/> of the fixture saved.</summary>
    public static string Profile(string mode) => Run(mode).Path;

    /// <summary>Runs mode <paramref name="mode"/> of the fixture once: the path it saved to (a folder for "set") and what it printed.</summary>
    public static (string Path, string Output) Run(string mode)
    {
        lock (s_runs)
        {
            if (s_runs.TryGetValue(mode, out var saved)) return saved;
            Directory.CreateDirectory(s_folder);
            var path = Path.Combine(s_folder, mode == "set" ? "set" : mode + ".pb.gz");
            var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "ProfilingFixture.dll"));
            start.ArgumentList.Add(mode);
            start.ArgumentList.Add(path);
            var (exitCode, output, error) = ProcessRunner.Run(start, TimeSpan.FromSeconds(120));
            Assert.That(exitCode, Is.Zero, $"ProfilingFixture {mode} failed:\n{output}\n{error}");
            Assert.That(File.Exists(path) || Directory.Exists(path), $"ProfilingFixture {mode} saved no profile");
            s_runs.Add(mode, (path, output));
            return (path, output);
        }
    }

    /// <summary>
    /// A frame as <see cref="RawProfile"/> shows it: <c>ProfilingFixture.Type.Method File.cs:line</c>,
    /// the line being the one that ends with <c>// @marker</c> in the fixture's sources.
    /// </summary>
    public static string At(string function, string marker)
    {
        foreach (var file in new[] { "Net.cs", "Program.cs" })
        {
            var lines = File.ReadAllLines(Path.Combine(RepositoryRoot, "fixtures", "ProfilingFixture", file));
            for (var i = 0; i < lines.Length; i++)
            {
                if (lines[i].EndsWith("// @" + marker, StringComparison.Ordinal)) return $"ProfilingFixture.{function} {file}:{i + 1}";
            }
        }
        throw new ArgumentException($"no line of the fixture ends with // @{marker}");
    }

    public static void DeleteProfiles()
    {
        if (Directory.Exists(s_folder)) Directory.Delete(s_folder, recursive: true);
    }
}

[SetUpFixture]
public sealed class FixtureCleanup
{
    [OneTimeTearDown]
    public void DeleteProfiles() => Fixture.DeleteProfiles();
}
