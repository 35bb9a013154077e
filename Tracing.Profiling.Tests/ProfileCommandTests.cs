using System;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Reflection;
using NUnit.Framework;
using static Tracing.Profiling.Tests.Fixture;

namespace Tracing.Profiling.Tests;

/// <summary>`tracing profile` on the fixture run as an unchanged app (mode plain profiles nothing itself).</summary>
public class ProfileCommandTests
{
    static string Tool
    {
        get
        {
            var configuration = typeof(ProfileCommandTests).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == "Configuration").Value!;
            return Path.Combine(RepositoryRoot, "tools", "Tracing.Cli", "bin", configuration, "net8.0", "Tracing.Cli.dll");
        }
    }

    static (int Code, string Output, string Error) Tracing(params string[] args)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(Tool);
        foreach (var arg in args) start.ArgumentList.Add(arg);
        return ProcessRunner.Run(start, TimeSpan.FromSeconds(120));
    }

    [Test]
    public void TracingProfileWritesOneProfilePerMatchingEventOfAnUnchangedApp()
    {
        var folder = Path.Combine(Path.GetTempPath(), $"tracing-profile-{Environment.ProcessId}");
        try
        {
            var (code, output, error) = Tracing("profile", "--event", "ProfilingFixture.Net.TraceSent", "ProfilingFixture.Net.TraceW*",
                "--value", "length", "-o", folder, "--", "dotnet", Path.Combine(AppContext.BaseDirectory, "ProfilingFixture.dll"), "plain", "-");

            Assert.That(code, Is.Zero, output + error);
            Assert.That(Directory.GetFiles(folder).Select(Path.GetFileName), Is.EquivalentTo(new[]
            {
                "ProfilingFixture.Net.TraceSent.pb.gz", "ProfilingFixture.Net.TraceWait.pb.gz",
            }));
            Assert.That(output, Does.EndWith("tracing profile: 2 profiles (app exit code 0); open one with 'go tool pprof -http=:8080 FILE'\n"));
            Assert.That(error, Is.EqualTo(
                "tracing profile: EventProfileOptions.Value: ProfilingFixture.Net.TraceWait(System.TimeSpan wait, double? load, ulong sizeBytes) " +
                "has no parameter \"length\"; its numeric parameters: wait, load, sizeBytes. Its profile counts firings only.\n"));
            var sent = Pprof.Raw(Path.Combine(folder, "ProfilingFixture.Net.TraceSent.pb.gz"));
            var wait = Pprof.Raw(Path.Combine(folder, "ProfilingFixture.Net.TraceWait.pb.gz"));
            var plain = At("Program.Plain", "plain");
            var main = At("Program.Main", "main-plain");
            Assert.That(sent.Stacks(), Is.EquivalentTo(new[]
            {
                $"3 300: {At("Client.Send", "send")} <- {At("Client.Request", "request")} <- {At("Program.Workload", "workload-request")} <- {plain} <- {main}",
                $"1 10: {At("Client.Send", "send")} <- {At("Client.Flush", "flush")} <- {At("Program.Workload", "workload-flush")} <- {plain} <- {main}",
                $"1 5: {At("Client.SendHeaderAndBody", "header")} <- {At("Program.Workload", "workload-header-body")} <- {plain} <- {main}",
                $"1 7: {At("Client.SendHeaderAndBody", "body")} <- {At("Program.Workload", "workload-header-body")} <- {plain} <- {main}",
            }));
            Assert.That(wait.Stacks(), Is.EqualTo(new[] { $"1: {At("Client.Wait", "wait")} <- {At("Program.Plain", "plain-wait")} <- {main}" }));
        }
        finally
        {
            if (Directory.Exists(folder)) Directory.Delete(folder, recursive: true);
        }
    }

    [Test]
    public void ASampleRateBelowOneIsAUsageMistake()
    {
        var (code, _, error) = Tracing("profile", "--event", "ProfilingFixture.*", "--sample-every", "0", "--", "dotnet", "app.dll");

        Assert.That(code, Is.EqualTo(2));
        Assert.That(error, Is.EqualTo("tracing profile: --sample-every 0: give 1 (every firing) or more.\n"));
    }

    [Test]
    public void AMalformedGlobIsAUsageMistake()
    {
        var (code, _, error) = Tracing("profile", "--event", "My Lib.*", "--", "dotnet", "app.dll");

        Assert.That(code, Is.EqualTo(2));
        Assert.That(error, Does.StartWith("tracing profile: --event: \"My Lib.*\" is not a trace event glob: ' ' at 3 is not allowed"));
    }
}
