using System;
using System.Collections.Generic;
using System.CommandLine;
using System.CommandLine.Parsing;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Runtime.InteropServices;
using Tracing.Recording;
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
            Description = "The trace file to write, in a folder that exists (Chrome Trace Event JSON; open it in ui.perfetto.dev or Chrome DevTools' Performance panel).",
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
            Description = "With -p: stop after this long: 10s, 5m, 1h, 500ms or hh:mm:ss.",
            CustomParser = ParseDuration,
        };
        var command = new Argument<string[]>("command")
        {
            Arity = ArgumentArity.ZeroOrMore,
            Description = "The app to run, after --: 'dotnet app.dll args...' or a framework-dependent app host ('bin/Debug/net10.0/MyApp args...').",
        };
        var record = new Command("record",
            "Run a .NET app and record the trace events of every woven assembly it loads, with no change to the app: it is started " +
            "with a startup hook (DOTNET_STARTUP_HOOKS) that writes the file when the app exits (a normal exit, Environment.Exit, an " +
            "unhandled exception, Ctrl+C or SIGTERM). Works for 'dotnet app.dll' and framework-dependent app hosts; a Native AOT app has no " +
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
        if (WhyNotWritable(Path.GetFullPath(file)) is { } unwritable)
        {
            error.WriteLine("tracing record: " + unwritable);
            return TracingCommand.Failed;
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
        // The options as the startup hook gives them to the recorder, checked here: a mistake found
        // by the hook would leave the app running unrecorded.
        var options = new TraceRecorderOptions();
        foreach (var glob in events) options.Events.Add(glob);
        foreach (var span in spans)
        {
            var parts = span.Split(',');
            if (parts.Length != 2 || parts.Any(p => p.Trim().Length == 0))
            {
                error.WriteLine($"tracing record: --span {span}: write two event names separated by a comma, such as MyLib.Net.TraceRequestStart,MyLib.Net.TraceRequestDone.");
                return TracingCommand.UsageError;
            }
            options.Spans.Add((parts[0].Trim(), parts[1].Trim()));
        }
        try
        {
            options.Validate();
        }
        catch (ArgumentException e)
        {
            error.WriteLine($"tracing record: --span {string.Join(" --span ", spans)}: {MessageOf(e)}");
            return TracingCommand.UsageError;
        }
        var path = Path.GetFullPath(file);
        if (WhyNotWritable(path) is { } unwritable)
        {
            error.WriteLine("tracing record: " + unwritable);
            return TracingCommand.Failed;
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
            // The hook flushes at SIGINT and SIGTERM; any other signal (SIGKILL) finds what the writer flushed last.
            error.WriteLine(HookedApp.EndingSignal(exitCode) switch
            {
                2 => $"tracing record: the app was interrupted (Ctrl+C, SIGINT); closed {path}: it holds every event up to the signal.",
                15 => $"tracing record: the app was ended by SIGTERM; closed {path}: it holds every event up to the signal.",
                { } signal => $"tracing record: the app was ended by signal {signal}; closed {path}: it holds the events written until then.",
                null => $"tracing record: the app ended (exit code {exitCode}) without completing {path}; closed it: it holds the events written until then.",
            });
        }
        output.WriteLine($"tracing record: {Events(events)} in {path} (app exit code {exitCode})");
        return exitCode;
    }

    /// <summary>"1 event", "2 events": the count of the summary line. Shared with <c>tracing record -p</c>.</summary>
    internal static string Events(long count) => count == 1 ? "1 event" : $"{count} events";

    /// <summary>Null when a trace file can be created at the full path <paramref name="path"/>; otherwise why not.</summary>
    static string? WhyNotWritable(string path)
    {
        if (Directory.Exists(path)) return $"-o {path} is a folder; give the trace file's name, such as {Path.Combine(path, "trace.json")}.";
        var folder = Path.GetDirectoryName(path);
        if (folder is not null && !Directory.Exists(folder)) return $"-o {path}: the folder {folder} does not exist; create it first.";
        return null;
    }

    // TraceRecorderOptions.Validate's message in the command line's terms: without the option's
    // name in the API ("TraceRecorderOptions.Spans: ") and the " (Parameter 'options')" the
    // runtime appends, which name code the user did not write.
    static string MessageOf(ArgumentException e) =>
        (e.ParamName is null ? e.Message : e.Message.Replace($" (Parameter '{e.ParamName}')", ""))
        .Replace("TraceRecorderOptions.Spans: ", "");

    // --duration: 10s, 5m, 1h, 500ms, or a TimeSpan with colons (00:00:10); a bare number has no unit and is refused.
    static TimeSpan? ParseDuration(ArgumentResult result)
    {
        var text = result.Tokens.Count == 1 ? result.Tokens[0].Value : "";
        if (TryParseDuration(text, out var duration)) return duration;
        result.AddError($"--duration {text}: give a length such as 10s, 5m, 1h, 500ms or 00:00:10.");
        return null;
    }

    static bool TryParseDuration(string text, out TimeSpan duration)
    {
        duration = default;
        if (text.Contains(':')) return TimeSpan.TryParse(text, CultureInfo.InvariantCulture, out duration);
        var units = new (string Suffix, double Seconds)[] { ("ms", 0.001), ("s", 1), ("m", 60), ("h", 3600) };
        foreach (var (suffix, seconds) in units)
        {
            if (!text.EndsWith(suffix, StringComparison.Ordinal)) continue;
            if (!double.TryParse(text[..^suffix.Length], NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var count)) return false;
            duration = TimeSpan.FromSeconds(count * seconds);
            return true;
        }
        return false;
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
