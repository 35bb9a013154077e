using System;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Runtime.InteropServices;
using System.Threading;
using Tracing.Profiling;

namespace Tracing.Recording.Hook;

/// <summary>
/// Profiles the app the hook runs in, from the settings `tracing profile` put in its
/// environment, and writes one profile per matching event when the app ends: a normal exit or
/// <see cref="Environment.Exit"/> (<see cref="AppDomain.ProcessExit"/>), an unhandled exception,
/// Ctrl+C (SIGINT) or SIGTERM (docker stop, systemd). At a signal the profiles are written at once
/// and profiling stops there; the app then goes on (it handled the signal) or the runtime ends it.
/// </summary>
/// <remarks>
/// The runtime does not run ProcessExit at SIGTERM unless the app handles the signal (a plain
/// console app is ended by it), hence the handler of its own. The settings are removed from the
/// environment, so that processes the app starts are not profiled into the same folder.
/// </remarks>
static class HookProfiler
{
    static EventProfileSet? s_profiles;
    static string? s_folder;
    // How long a second way of ending waits for the first to write the profiles.
    static readonly TimeSpan s_saveTimeout = TimeSpan.FromSeconds(60);
    static int s_saving; // 1 once a thread has begun to write the profiles
    static readonly ManualResetEventSlim s_saved = new(false);
    static PosixSignalRegistration? s_sigint, s_sigterm;

    internal static void StartFromEnvironment()
    {
        var folder = Environment.GetEnvironmentVariable(HookSettings.ProfileOutputVariable)!;
        var globs = (Environment.GetEnvironmentVariable(HookSettings.ProfileEventsVariable) ?? "")
            .Split(new[] { '\n' }, StringSplitOptions.RemoveEmptyEntries).Select(l => l.Trim()).Where(l => l.Length > 0).ToArray();
        var value = Environment.GetEnvironmentVariable(HookSettings.ProfileValueVariable);
        var every = Environment.GetEnvironmentVariable(HookSettings.ProfileSampleEveryVariable);
        foreach (var variable in new[]
                 {
                     HookSettings.ProfileOutputVariable, HookSettings.ProfileEventsVariable, HookSettings.ProfileValueVariable,
                     HookSettings.ProfileSampleEveryVariable,
                 })
            Environment.SetEnvironmentVariable(variable, null);
        try
        {
            var options = new EventProfileOptions
            {
                Value = string.IsNullOrEmpty(value) ? null : value,
                SampleEvery = string.IsNullOrEmpty(every) ? 1 : int.Parse(every, CultureInfo.InvariantCulture),
            };
            s_folder = folder;
            s_profiles = EventProfileSet.Start(TraceEventFilter.Parse(globs), options);
        }
        catch (Exception e) when (e is ArgumentException or FormatException or NotSupportedException)
        {
            Console.Error.WriteLine($"tracing profile: cannot profile this app: {e.Message}");
            return;
        }
        AppDomain.CurrentDomain.ProcessExit += (_, _) => Save();
        AppDomain.CurrentDomain.UnhandledException += (_, _) => Save();
        s_sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, _ => Save());
        s_sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, _ => Save());
    }

    // Once, whichever way the app ends first. Any later call (the second of two SIGINTs: a terminal
    // signals the whole process group and `tracing profile` passes Ctrl+C on too; or the exit that
    // follows a signal) waits for the first to finish: returned at once, it would let the runtime
    // end the process (a signal's default action, or the end of ProcessExit) in the middle of the writing.
    static void Save()
    {
        if (s_profiles is null) return;
        if (Interlocked.Exchange(ref s_saving, 1) != 0)
        {
            s_saved.Wait(s_saveTimeout);
            return;
        }
        try
        {
            s_profiles.SaveAll(s_folder!);
            foreach (var problem in s_profiles.Problems) Console.Error.WriteLine($"tracing profile: {problem}");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            Console.Error.WriteLine($"tracing profile: cannot write the profiles into {s_folder}: {e.Message}");
        }
        finally
        {
            s_saved.Set();
        }
    }
}
