using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Text.RegularExpressions;
using NUnit.Framework;

namespace Tracing.Fody.Tests;

/// <summary>samples/Hello, built and woven by the real Fody build, prints what the README says it prints.</summary>
public class SampleTests
{
    [Test]
    public void TheHelloSamplePrintsTheSeedsExample()
    {
        var sample = Path.Combine(TestWeaving.RepositoryRoot, "samples", "Hello", "bin", TestWeaving.Configuration, "net10.0", "Hello.dll");
        var start = new ProcessStartInfo("dotnet", $"\"{sample}\"") { RedirectStandardOutput = true, UseShellExecute = false };
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEnd();
        Assert.That(process.WaitForExit(60_000), Is.True, "the sample did not finish");
        Assert.That(process.ExitCode, Is.Zero);

        var lines = output.Replace("\r\n", "\n").TrimEnd().Split('\n');
        // The probe hands each hello to a printer task, so the two kinds of lines interleave
        // freely; each kind keeps its own order.
        Assert.That(lines.Take(6).Where(l => l.StartsWith("Hello, ")), Is.EqualTo(new[] { "Hello, JP", "Hello, Kirr", "Hello, Varya" }));
        var said = lines.Take(6).Where(l => l.StartsWith("Said hello to ")).ToArray();
        Assert.That(said.Select(l => Regex.Match(l, @"^Said hello to (\w+) @ \d\d:\d\d:\d\d\.\d\d\d$").Groups[1].Value),
            Is.EqualTo(new[] { "JP", "Kirr", "Varya" }));
        Assert.That(lines.Skip(6), Is.EqualTo(new[]
        {
            "About to say hello to Kirill",
            "Hello, Kirill",
            "Said hello to Kirill",
            "Hello, world",
        }));
    }
}
