using System;
using System.IO;
using System.Linq;
using System.Threading.Tasks;
using NUnit.Framework;

namespace Tracing.Recording.Tests;

/// <summary>A process killed while recording leaves a file that holds every flushed event and parses once <c>]</c> is appended.</summary>
public class KilledProcessTests
{
    public static string RecordingApp =>
        Path.Combine(Viewer.RepositoryRoot, "fixtures", "RecordingApp", "bin", Viewer.Configuration, "net10.0", "RecordingApp.dll");

    [Test]
    public void AKilledProcessLeavesAFileThatParsesOnceTheArrayIsClosed()
    {
        var path = Path.Combine(Path.GetTempPath(), $"tracing-killed-{Guid.NewGuid():N}.json");
        try
        {
            using (var app = Processes.Start("dotnet", new[] { RecordingApp, "kill", path }))
            {
                var ready = app.StandardOutput.ReadLineAsync();
                var said = ready.Wait(TimeSpan.FromSeconds(60)) ? ready.Result : null;
                app.Kill(entireProcessTree: true);
                Assert.That(app.WaitForExit(30_000), Is.True, "the app ends when killed");
                Assert.That(said, Is.EqualTo("ready"), "the app recorded its events: " + app.StandardError.ReadToEnd());
            }
            var text = File.ReadAllText(path);
            Assert.That(text.TrimEnd(), Does.Not.EndWith("]"), "the killed process did not complete the file");
            File.AppendAllText(path, "]");

            var trace = Viewer.Load(path);
            Assert.That(double.IsFinite(trace.Min) && double.IsFinite(trace.Max), Is.True);
            Assert.That(trace.Thread("App main").Events.Select(e => e.Text), Is.EqualTo(
                Enumerable.Range(0, 5).Select(i => $"RecordingApp.Net.TraceSent(to=\"peer\", bytes={i})")));
            Assert.That(trace.Thread("App main").ProcessName, Is.EqualTo("RecordingApp"));
        }
        finally
        {
            File.Delete(path);
        }
    }
}
