using System;
using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Runtime.InteropServices;
using Tracing.Recording.Hook;

namespace Tracing.Cli;

/// <summary>
/// <c>tracing profile --event GLOB... [-o DIR] [--value PARAM] [--sample-every N] -- dotnet app.dll args…</c>:
/// starts the app with the startup hook of <c>tracing record</c>, which profiles the matching
/// events with Tracing.Profiling and writes one pprof profile per event into DIR when the app exits.
/// </summary>
public static class ProfileCommand
{
    public static Command Create(TextWriter output, TextWriter error)
    {
        var events = new Option<string[]>("--event")
        {
            Description = "The events to profile: a glob over full names (Namespace.Type.Event, '*' and '?', Assembly:Glob); " +
                          "repeat it, or give several after one --event. One profile per matching event.",
            Required = true,
            AllowMultipleArgumentsPerToken = true,
        };
        var folder = new Option<string>("--output", "-o")
        {
            Description = "The folder to write the profiles into, one Namespace.Type.Event.pb.gz per event (created if needed). Default: the current folder.",
            DefaultValueFactory = _ => ".",
        };
        var value = new Option<string?>("--value")
        {
            Description = "A numeric parameter of the events to sum per call path besides counting firings (bytes sent by call path). " +
                          "An event without it gets counts only, and the app's standard error says so.",
        };
        var sampleEvery = new Option<int>("--sample-every")
        {
            Description = "Record about 1 in N firings, each weighted by N, so counts and sums stay unbiased. Default: 1, every firing.",
            DefaultValueFactory = _ => 1,
        };
        var command = new Argument<string[]>("command")
        {
            Arity = ArgumentArity.OneOrMore,
            Description = "The app to run, after --: 'dotnet app.dll args...' or a framework-dependent app host ('bin/Debug/net10.0/MyApp args...').",
        };
        var profile = new Command("profile",
            "Run a .NET app and profile trace events of the woven assemblies it loads, with no change to the app: the stacks " +
            "that fire each event, aggregated by call path, written when the app exits (normal exit, Environment.Exit, an " +
            "unhandled exception, Ctrl+C or SIGTERM) as one pprof profile per event. Open them with 'go tool pprof -http=:8080 FILE', " +
            "'go tool pprof -top FILE', speedscope or Perfetto UI. The app is started with the startup hook of 'tracing record'. " +
            "Exit code: the app's, or 1 when it could not be profiled (an app that exited 0 but wrote no profile among them), 2 for a usage mistake.")
        {
            events, folder, value, sampleEvery, command,
        };
        profile.SetAction(result => Profile(
            result.GetValue(events) ?? Array.Empty<string>(),
            result.GetValue(folder)!,
            result.GetValue(value),
            result.GetValue(sampleEvery),
            result.GetValue(command)!,
            output,
            error));
        return profile;
    }

    static int Profile(string[] events, string folder, string? value, int sampleEvery, string[] command, TextWriter output, TextWriter error)
    {
        if (events.Length == 0)
        {
            error.WriteLine("tracing profile: --event: give at least one glob, such as MyLib.Net.* or MyLib.Net.TraceSent.");
            return TracingCommand.UsageError;
        }
        if (!TraceEventFilter.TryParse(events, out _, out var globError))
        {
            error.WriteLine($"tracing profile: --event: {globError}");
            return TracingCommand.UsageError;
        }
        if (sampleEvery < 1)
        {
            error.WriteLine($"tracing profile: --sample-every {sampleEvery}: give 1 (every firing) or more.");
            return TracingCommand.UsageError;
        }
        if (value is { Length: 0 })
        {
            error.WriteLine("tracing profile: --value: give the name of a numeric parameter of the events, such as length.");
            return TracingCommand.UsageError;
        }
        var hook = Path.Combine(AppContext.BaseDirectory, HookSettings.AssemblyFileName);
        if (!File.Exists(hook))
        {
            error.WriteLine($"tracing profile: the startup hook {hook} is missing from the tool's folder; reinstall the tool.");
            return TracingCommand.Failed;
        }
        var notDotnet = RecordCommand.WhyNoStartupHook(command[0], "profiled", "call EventProfileSet.Start (package Tracing.Profiling) in it",
            "tracing profile --event GLOB");
        if (notDotnet is not null)
        {
            error.WriteLine($"tracing profile: {notDotnet}");
            return TracingCommand.Failed;
        }
        var path = Path.GetFullPath(folder);
        if (File.Exists(path))
        {
            error.WriteLine($"tracing profile: -o {path} is a file; give the folder to write the profiles into.");
            return TracingCommand.Failed;
        }
        try
        {
            Directory.CreateDirectory(path); // before the app starts: a folder that cannot be made would leave it profiled for nothing
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            error.WriteLine($"tracing profile: cannot create the folder {path}: {e.Message}");
            return TracingCommand.Failed;
        }

        var start = new ProcessStartInfo(command[0]) { UseShellExecute = false };
        foreach (var arg in command.Skip(1)) start.ArgumentList.Add(arg);
        var hooks = Environment.GetEnvironmentVariable("DOTNET_STARTUP_HOOKS");
        start.Environment["DOTNET_STARTUP_HOOKS"] = string.IsNullOrEmpty(hooks) ? hook : hook + Path.PathSeparator + hooks;
        start.Environment[HookSettings.ProfileOutputVariable] = path;
        start.Environment[HookSettings.ProfileEventsVariable] = string.Join("\n", events);
        start.Environment[HookSettings.ProfileValueVariable] = value ?? "";
        start.Environment[HookSettings.ProfileSampleEveryVariable] = sampleEvery.ToString(CultureInfo.InvariantCulture);

        var started = DateTime.UtcNow.AddSeconds(-1); // file times are coarse on some file systems
        if (HookedApp.Run(start, "tracing profile", error) is not { } exitCode) return TracingCommand.Failed;

        var written = Directory.GetFiles(path, "*.pb.gz")
            .Where(f => File.GetLastWriteTimeUtc(f) >= started)
            .OrderBy(f => f, StringComparer.Ordinal)
            .ToList();
        if (written.Count == 0)
        {
            error.WriteLine(HookedApp.EndingSignal(exitCode) is { } signal
                ? $"tracing profile: the app was ended by signal {signal} (exit code {exitCode}) before it wrote its profiles into {path}."
                : $"tracing profile: the app wrote no profile into {path}: no woven assembly it loaded declares an event that " +
                  $"{string.Join(" ", events)} matches ('tracing list' shows an assembly's events), or it did not run the startup hook " +
                  "(a trimmed app may turn startup hooks off; a Native AOT app has none).");
            // A failed app's own exit code says more to a script than 1 would; the reason is on standard error.
            return exitCode != 0 ? exitCode : TracingCommand.Failed;
        }
        // Under the folder as given (absolute or relative), so that a path printed is one to copy.
        foreach (var file in written) output.WriteLine($"tracing profile: {Path.Combine(folder, Path.GetFileName(file))}");
        output.WriteLine($"tracing profile: {written.Count} profile{(written.Count == 1 ? "" : "s")} (app exit code {exitCode}); open one with 'go tool pprof -http=:8080 FILE'");
        return exitCode;
    }
}
