using System;
using System.Collections.Generic;
using System.CommandLine;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Runtime.InteropServices;
using Tracing.Recording.Hook;

namespace Tracing.Cli;

/// <summary>
/// <c>tracing record -o trace.json [--events GLOB]... [--span BEGIN,END]... -- dotnet app.dll args…</c>:
/// starts the app with a .NET startup hook that records every woven assembly it loads into a
/// Chrome Trace Event JSON file, completed when the app exits. With <c>-p PID</c>, records a
/// running process through EventPipe instead (<see cref="RecordProcess"/>).
/// </summary>
public static class RecordCommand
{
    public static Command Create(TextWriter output, TextWriter error)
    {
        var file = new Option<string>("--output", "-o")
        {
            Description = "The trace file to write (Chrome Trace Event JSON; open it in ui.perfetto.dev or Chrome DevTools' Performance panel).",
            Required = true,
        };
        var events = new Option<string[]>("--events")
        {
            Description = "Record only the events this glob matches (Namespace.Type.Event, '*' and '?', Assembly:Glob); repeat it for more. Default: every event.",
        };
        var spans = new Option<string[]>("--span")
        {
            Description = "BEGIN,END: two events (full names) whose firings on one thread make a slice with a duration; repeat it for more.",
        };
        var pid = new Option<int?>("--process-id", "-p")
        {
            Description = "Record a running .NET process instead, through its diagnostics port (the Tracing EventSource every process with " +
                          "woven code has; docs/eventpipe.md), until --duration ends, the process ends or Ctrl+C. `tracing ps` lists candidates.",
        };
        var duration = new Option<TimeSpan?>("--duration")
        {
            Description = "With -p: stop after this long (hh:mm:ss).",
        };
        var command = new Argument<string[]>("command")
        {
            Arity = ArgumentArity.ZeroOrMore,
            Description = "The app to run, after --: 'dotnet app.dll args...' or a framework-dependent app host ('bin/Debug/net10.0/MyApp args...').",
        };
        var record = new Command("record",
            "Run a .NET app and record the trace events of every woven assembly it loads, with no change to the app: it is started " +
            "with a startup hook (DOTNET_STARTUP_HOOKS) that writes the file when the app exits (a normal exit, Environment.Exit, an " +
            "unhandled exception or Ctrl+C). Works for 'dotnet app.dll' and framework-dependent app hosts; a Native AOT app has no " +
            "startup hooks: record it with TraceRecorder.Start (package Tracing.Recording) instead. Exit code: the app's, or 1 when " +
            "it could not be recorded, 2 for a usage mistake.")
        {
            file, events, spans, pid, duration, command,
        };
        record.SetAction(result => result.GetValue(pid) is not null || result.GetValue(duration) is not null
            ? RecordRunning(result.GetValue(pid), result.GetValue(file)!, result.GetValue(events) ?? Array.Empty<string>(), result.GetValue(spans) ?? Array.Empty<string>(),
                result.GetValue(duration), result.GetValue(command) ?? Array.Empty<string>(), output, error)
            : Record(
            result.GetValue(file)!,
            result.GetValue(events) ?? Array.Empty<string>(),
            result.GetValue(spans) ?? Array.Empty<string>(),
            result.GetValue(command)!,
            output,
            error));
        return record;
    }

    static int RecordRunning(int? pid, string file, string[] events, string[] spans, TimeSpan? duration, string[] command,
        TextWriter output, TextWriter error)
    {
        string? mistake = null;
        if (pid is null) mistake = "--duration works with -p PID (an app started after -- runs until it exits).";
        else if (command.Length > 0) mistake = "give either -p PID or the app to run after --, not both.";
        else if (spans.Length > 0) mistake = "--span works with an app started after --, not yet with -p.";
        else if (duration is { } d && d <= TimeSpan.Zero) mistake = "--duration must be positive.";
        else if (!TraceEventFilter.TryParse(events, out _, out var globError)) mistake = "--events: " + globError;
        if (mistake is not null)
        {
            error.WriteLine("tracing record: " + mistake);
            return TracingCommand.UsageError;
        }
        return RecordProcess.Run(pid!.Value, file, events, duration, output, error);
    }

    static int Record(string file, string[] events, string[] spans, string[] command, TextWriter output, TextWriter error)
    {
        if (command.Length == 0)
        {
            error.WriteLine("tracing record: give the app to run after -- (tracing record -o trace.json -- dotnet app.dll), or -p PID.");
            return TracingCommand.UsageError;
        }
        if (!TraceEventFilter.TryParse(events, out _, out var globError))
        {
            error.WriteLine($"tracing record: --events: {globError}");
            return TracingCommand.UsageError;
        }
        foreach (var span in spans)
        {
            var parts = span.Split(',');
            if (parts.Length != 2 || parts.Any(p => p.Trim().Length == 0))
            {
                error.WriteLine($"tracing record: --span {span}: write two event names separated by a comma, such as MyLib.Net.TraceRequestStart,MyLib.Net.TraceRequestDone.");
                return TracingCommand.UsageError;
            }
        }
        var hook = Path.Combine(AppContext.BaseDirectory, HookSettings.AssemblyFileName);
        if (!File.Exists(hook))
        {
            error.WriteLine($"tracing record: the startup hook {hook} is missing from the tool's folder; reinstall the tool.");
            return TracingCommand.Failed;
        }
        var notDotnet = WhyNoStartupHook(command[0], "recorded", "call TraceRecorder.Start (package Tracing.Recording) in it",
            "tracing record -o trace.json");
        if (notDotnet is not null)
        {
            error.WriteLine($"tracing record: {notDotnet}");
            return TracingCommand.Failed;
        }
        var path = Path.GetFullPath(file);
        try
        {
            if (File.Exists(path)) File.Delete(path); // so that a file after the run is this run's
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            error.WriteLine($"tracing record: cannot replace {path}: {e.Message}");
            return TracingCommand.Failed;
        }

        var start = new ProcessStartInfo(command[0]) { UseShellExecute = false };
        foreach (var arg in command.Skip(1)) start.ArgumentList.Add(arg);
        var hooks = Environment.GetEnvironmentVariable("DOTNET_STARTUP_HOOKS");
        start.Environment["DOTNET_STARTUP_HOOKS"] = string.IsNullOrEmpty(hooks) ? hook : hook + Path.PathSeparator + hooks;
        start.Environment[HookSettings.OutputVariable] = path;
        start.Environment[HookSettings.EventsVariable] = string.Join("\n", events);
        start.Environment[HookSettings.SpansVariable] = string.Join("\n", spans);

        if (HookedApp.Run(start, "tracing record", error) is not { } exitCode) return TracingCommand.Failed;
        return Finish(path, exitCode, output, error);
    }

    static int Finish(string path, int exitCode, TextWriter output, TextWriter error)
    {
        if (!File.Exists(path))
        {
            error.WriteLine(
                $"tracing record: the app wrote no trace to {path}: it did not run the startup hook. Startup hooks need a .NET app " +
                "started by 'dotnet app.dll' or its app host, with System.StartupHookProvider.IsSupported not turned off (trimmed apps may turn it off); " +
                "a Native AOT app has none: record it with TraceRecorder.Start (package Tracing.Recording).");
            return TracingCommand.Failed;
        }
        var events = 0L;
        var complete = false;
        foreach (var line in File.ReadLines(path))
        {
            if (line.Contains("\"ph\":\"I\"") || line.Contains("\"ph\":\"B\"") || line.Contains("\"ph\":\"E\"")) events++;
            complete = line == "]";
        }
        if (!complete)
        {
            // The app was ended without running its exit handlers (killed): every line the writer
            // flushed is whole, so closing the array makes a complete file.
            File.AppendAllText(path, "]\n");
            error.WriteLine(exitCode == 128 + 2
                ? $"tracing record: the app was interrupted (Ctrl+C); closed {path}: it holds every event up to the signal."
                : $"tracing record: the app ended (exit code {exitCode}) without completing {path}; closed it: it holds the events written until then.");
        }
        output.WriteLine($"tracing record: {events} events in {path} (app exit code {exitCode})");
        return exitCode;
    }

    /// <summary>
    /// Null when <paramref name="program"/> can run the startup hook; otherwise why not, saying
    /// that the app cannot be <paramref name="done"/> without <paramref name="inCode"/>, or should
    /// be run as <c><paramref name="usage"/> -- dotnet app.dll</c>. Shared with <c>tracing profile</c>.
    /// </summary>
    internal static string? WhyNoStartupHook(string program, string done, string inCode, string usage)
    {
        var name = Path.GetFileNameWithoutExtension(program);
        if (string.Equals(name, "dotnet", StringComparison.OrdinalIgnoreCase)) return null;
        var resolved = Resolve(program);
        if (resolved is null) return $"cannot find the program {program}.";
        var folder = Path.GetDirectoryName(resolved)!;
        if (File.Exists(Path.Combine(folder, name + ".runtimeconfig.json"))) return null; // an app host, framework-dependent or self-contained
        var coreclr = OperatingSystem.IsWindows() ? "coreclr.dll" : OperatingSystem.IsMacOS() ? "libcoreclr.dylib" : "libcoreclr.so";
        if (File.Exists(Path.Combine(folder, coreclr))) return null; // self-contained
        return $"{resolved} is not 'dotnet' or a .NET app host (there is no {name}.runtimeconfig.json beside it): if it is a Native AOT app, " +
               $"it has no startup hooks and cannot be {done} without a code change: {inCode}. " +
               $"Otherwise run it as '{usage} -- dotnet app.dll args...'.";
    }

    static string? Resolve(string program)
    {
        if (program.IndexOfAny(new[] { '/', '\\' }) >= 0) return File.Exists(program) ? Path.GetFullPath(program) : null;
        foreach (var folder in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
        {
            foreach (var candidate in new[] { program, program + ".exe" })
            {
                var full = Path.Combine(folder, candidate);
                if (File.Exists(full)) return full;
            }
        }
        return null;
    }

}
