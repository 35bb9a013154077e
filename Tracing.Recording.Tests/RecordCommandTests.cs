using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using NUnit.Framework;
using static Tracing.Tests.Shared.Posix;

namespace Tracing.Recording.Tests;

/// <summary>
/// `tracing record` end to end: the built tool starts a real app with its startup hook, and the
/// file is loaded with DevTools' trace engine.
/// </summary>
public class RecordCommandTests
{
    static string Tool => Path.Combine(Viewer.RepositoryRoot, "tools", "Tracing.Cli", "bin", Viewer.Configuration, "net8.0", "Tracing.Cli.dll");

    static string Hello => Path.Combine(Viewer.RepositoryRoot, "samples", "Hello", "bin", Viewer.Configuration, "net10.0", "Hello.dll");

    static string AppHost => Path.ChangeExtension(KilledProcessTests.RecordingApp, null);

    string _file = "";

    [SetUp]
    public void NewFile() => _file = Path.Combine(Path.GetTempPath(), $"tracing-record-{Guid.NewGuid():N}.json");

    [TearDown]
    public void DeleteFile() => File.Delete(_file);

    (int Code, string Output, string Error) Record(params string[] args) =>
        Processes.Run("dotnet", new[] { Tool, "record", "-o", _file }.Concat(args), TimeSpan.FromSeconds(120));

    static IEnumerable<string> AppEvents(ViewerTrace trace) => trace.Thread("App main").Events.Select(e => e.Text);

    static readonly string[] s_appEvents =
    {
        "RecordingApp.Net.TraceSent(to=\"peer\", bytes=0)",
        "RecordingApp.Net.TraceSent(to=\"peer\", bytes=1)",
        "RecordingApp.Net.TraceSent(to=\"peer\", bytes=2)",
        "RecordingLate.Late.TraceLoaded(what=\"late\", n=7)", // an assembly the app loads after the hook started recording
    };

    [Test]
    public void TheHelloSampleIsRecordedWithNoCodeChange()
    {
        var (code, output, error) = Record("--", "dotnet", Hello);

        Assert.That(code, Is.EqualTo(0), error);
        Assert.That(output, Does.Contain("Hello, JP").And.Contain($"tracing record: 10 events in {_file} (app exit code 0)"));
        Assert.That(File.ReadAllLines(_file)[^1], Is.EqualTo("]"), "the app completed the file");
        var trace = Viewer.Load(_file);
        Assert.That(double.IsFinite(trace.Min) && double.IsFinite(trace.Max), Is.True);
        var main = trace.Thread("Main thread");
        Assert.That(main.ProcessName, Is.EqualTo("Hello"));
        Assert.That(main.Events.Select(e => e.Text), Is.EqualTo(new[] { "JP", "Kirr", "Varya", "Kirill", "world" }.SelectMany(who => new[]
        {
            $"HelloSample.Hello.TraceHelloPre(who=\"{who}\")",
            $"HelloSample.Hello.TraceHello(who=\"{who}\")",
        })));
    }

    [TestCase("exit", 3)]
    [TestCase("environment-exit", 4)]
    public void AnAppThatExitsLeavesACompleteFile(string mode, int exitCode)
    {
        var (code, output, error) = Record("--events", "RecordingApp.Net.*", "--events", "RecordingLate.*", "--", "dotnet", KilledProcessTests.RecordingApp, mode);

        Assert.That(code, Is.EqualTo(exitCode), "the app's exit code: " + error);
        Assert.That(error, Does.Not.Contain("closed"), "the app completed the file itself");
        Assert.That(File.ReadAllLines(_file)[^1], Is.EqualTo("]"));
        Assert.That(AppEvents(Viewer.Load(_file)), Is.EqualTo(s_appEvents));
    }

    [Test]
    public void AnAppThatDiesOfAnUnhandledExceptionLeavesACompleteFile()
    {
        var (code, _, error) = Record("--", "dotnet", KilledProcessTests.RecordingApp, "throw");

        Assert.That(code, Is.Not.EqualTo(0));
        Assert.That(error, Does.Contain("the app failed").And.Not.Contain("closed"));
        Assert.That(File.ReadAllLines(_file)[^1], Is.EqualTo("]"));
        Assert.That(AppEvents(Viewer.Load(_file)), Is.EqualTo(s_appEvents));
    }

    [Test]
    public void AFrameworkDependentAppHostIsRecorded()
    {
        var (code, _, error) = Record("--", AppHost, "exit");

        Assert.That(code, Is.EqualTo(3), error);
        Assert.That(AppEvents(Viewer.Load(_file)), Is.EqualTo(s_appEvents));
    }

    [Test]
    public void CtrlCLeavesACompleteFileWithEveryEventUpToTheSignal()
    {
        using var tool = Processes.Start("dotnet", new[] { Tool, "record", "-o", _file, "--", "dotnet", KilledProcessTests.RecordingApp, "wait-for-signal" });
        var ready = tool.StandardOutput.ReadLineAsync();
        Assert.That(ready.Wait(TimeSpan.FromSeconds(60)) ? ready.Result : null, Is.EqualTo("ready"));
        Assert.That(kill(tool.Id, 2), Is.EqualTo(0), "SIGINT to the tool, which passes it on to the app");
        var rest = tool.StandardOutput.ReadToEndAsync();
        var error = tool.StandardError.ReadToEndAsync();
        if (!tool.WaitForExit(60_000))
        {
            tool.Kill(entireProcessTree: true);
            Assert.Fail("tracing record did not end after SIGINT");
        }

        Assert.That(rest.Result, Does.Not.Contain("no signal came"));
        Assert.That(tool.ExitCode, Is.EqualTo(130), error.Result);
        Assert.That(File.ReadAllLines(_file)[^1], Is.EqualTo("]"));
        Assert.That(AppEvents(Viewer.Load(_file)), Is.EqualTo(s_appEvents));
    }

    /// <summary>
    /// A terminal's Ctrl+C reaches the app and the tool (the whole process group), systemd's
    /// SIGTERM may too: the app gets the signal twice, and must write its events all the same.
    /// A plain app runs no ProcessExit at SIGTERM: the hook flushes, the tool closes the array.
    /// </summary>
    [TestCase(2, 130, "the app was interrupted (Ctrl+C, SIGINT)")]
    [TestCase(15, 143, "the app was ended by SIGTERM")]
    public void ASignalToTheAppAndTheToolLeavesACompleteFileWithEveryEventUpToTheSignal(int signal, int exitCode, string said)
    {
        var (code, error) = RunUntilSignalled(signal, toTheApp: true);

        Assert.That(code, Is.EqualTo(exitCode), error);
        Assert.That(error, Does.Contain($"{said}; closed {_file}: it holds every event up to the signal."));
        Assert.That(File.ReadAllLines(_file)[^1], Is.EqualTo("]"));
        Assert.That(AppEvents(Viewer.Load(_file)), Is.EqualTo(s_appEvents));
    }

    /// <summary>docker stop signals the container's first process only: the tool passes SIGTERM on, and stays to close the file.</summary>
    [Test]
    public void SigtermToTheToolAloneIsPassedOnAndLeavesACompleteFile()
    {
        var (code, error) = RunUntilSignalled(15, toTheApp: false);

        Assert.That(code, Is.EqualTo(143), error);
        Assert.That(File.ReadAllLines(_file)[^1], Is.EqualTo("]"));
        Assert.That(AppEvents(Viewer.Load(_file)), Is.EqualTo(s_appEvents));
    }

    // Runs the app under `tracing record` until it is ready, then sends the signal to the tool,
    // and to the app too if asked (before the tool passes it on: the app gets two).
    (int Code, string Error) RunUntilSignalled(int signal, bool toTheApp)
    {
        using var tool = Processes.Start("dotnet", new[] { Tool, "record", "-o", _file, "--", "dotnet", KilledProcessTests.RecordingApp, "wait-for-signal" });
        var error = tool.StandardError.ReadToEndAsync();
        try
        {
            var ready = tool.StandardOutput.ReadLineAsync();
            Assert.That(ready.Wait(TimeSpan.FromSeconds(60)) ? ready.Result : null, Is.EqualTo("ready"));
            if (toTheApp) Assert.That(kill(Children(tool.Id).Single(), signal), Is.EqualTo(0));
            Assert.That(kill(tool.Id, signal), Is.EqualTo(0));
            var rest = tool.StandardOutput.ReadToEndAsync();
            Assert.That(tool.WaitForExit(60_000), Is.True, "tracing record did not end after the signal");
            tool.WaitForExit();
            Assert.That(rest.Result, Does.Not.Contain("no signal came"));
            return (tool.ExitCode, error.Result);
        }
        finally
        {
            if (!tool.HasExited) tool.Kill(entireProcessTree: true);
        }
    }


    [Test]
    public void OneEventIsCountedInTheSingular()
    {
        var (code, output, error) = Record("--events", "RecordingLate.*", "--", "dotnet", KilledProcessTests.RecordingApp, "exit");

        Assert.That(code, Is.EqualTo(3), error);
        Assert.That(output, Does.Contain($"tracing record: 1 event in {_file} (app exit code 3)"));
    }

    [Test]
    public void AnOutputInAFolderThatIsNotThereIsRefusedBeforeTheAppStarts()
    {
        var file = Path.Combine(Path.GetTempPath(), $"tracing-missing-{Guid.NewGuid():N}", "x.json");
        var (code, output, error) = Processes.Run("dotnet", new[] { Tool, "record", "-o", file, "--", "dotnet", Hello }, TimeSpan.FromSeconds(60));

        Assert.That(code, Is.EqualTo(1));
        Assert.That(error, Is.EqualTo($"tracing record: -o {file}: the folder {Path.GetDirectoryName(file)} does not exist; create it first.\n"));
        Assert.That(output, Does.Not.Contain("Hello"), "the app was not started");
    }

    [Test]
    public void AnOutputThatIsAFolderIsRefusedBeforeTheAppStarts()
    {
        var folder = Path.GetTempPath().TrimEnd('/');
        var (code, output, error) = Processes.Run("dotnet", new[] { Tool, "record", "-o", folder, "--", "dotnet", Hello }, TimeSpan.FromSeconds(60));

        Assert.That(code, Is.EqualTo(1));
        Assert.That(error, Does.StartWith($"tracing record: -o {folder} is a folder; give the trace file's name"));
        Assert.That(output, Does.Not.Contain("Hello"), "the app was not started");
    }

    [Test]
    public void ADurationWithAUnitIsAccepted()
    {
        var (code, _, error) = Processes.Run("dotnet", new[] { Tool, "record", "-p", "999999", "-o", _file, "--duration", "10s" }, TimeSpan.FromSeconds(60));

        Assert.That(code, Is.EqualTo(1), "parsed, and then the process is not there: " + error);
        Assert.That(error, Does.StartWith("tracing record: cannot open a session with process 999999:"));
    }

    [Test]
    public void AProgramThatCannotRunAStartupHookIsRefusedWithTheReason()
    {
        var (code, _, error) = Record("--", "/bin/true");

        Assert.That(code, Is.EqualTo(1));
        Assert.That(error, Does.Contain("/bin/true is not 'dotnet' or a .NET app host").And.Contain("Native AOT app, it has no startup hooks"));
        Assert.That(File.Exists(_file), Is.False);
    }

    [TestCase(new[] { "record", "--", "dotnet", "x.dll" }, "Option '--output' is required.")]
    [TestCase(new[] { "record", "-o", "t.json" }, "tracing record: give the app to run after -- (tracing record -o trace.json -- dotnet app.dll), or -p PID.")]
    [TestCase(new[] { "record", "-o", "t.json", "--events", "a b", "--", "dotnet", "x.dll" }, "--events: \"a b\" is not a trace event glob")]
    [TestCase(new[] { "record", "-o", "t.json", "--span", "A.B", "--", "dotnet", "x.dll" }, "--span A.B: write two event names separated by a comma")]
    [TestCase(new[] { "record", "-o", "t.json", "--span", "A.*,B.C", "--", "dotnet", "x.dll" },
        "tracing record: --span A.*,B.C: ('A.*', 'B.C') names events with a glob or an assembly; a span is a pair of full event names (Namespace.Type.Event).\n")]
    [TestCase(new[] { "record", "-o", "t.json", "--span", "A.B,A.C", "--span", "A.B,A.D", "--", "dotnet", "x.dll" },
        "tracing record: --span A.B,A.C --span A.B,A.D: A.B is in more than one span; an event can begin or end one span.\n")]
    [TestCase(new[] { "record", "-p", "1", "-o", "t.json", "--duration", "10" }, "tracing: --duration 10: give a length such as 10s, 5m, 1h, 500ms or 00:00:10.")]
    [TestCase(new[] { "record", "-p", "1", "-o", "t.json", "--duration", "ten" }, "tracing: --duration ten: give a length such as 10s, 5m, 1h, 500ms or 00:00:10.")]
    public void UsageMistakesExitWithTwoAndSayWhat(string[] args, string message)
    {
        var (code, _, error) = Processes.Run("dotnet", new[] { Tool }.Concat(args), TimeSpan.FromSeconds(60));

        Assert.That(code, Is.EqualTo(2));
        Assert.That(error, Does.Contain(message));
    }

}
