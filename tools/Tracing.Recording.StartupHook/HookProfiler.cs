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
/// environment, and writes one profile per matching event when the app ends: a normal exit,
/// <see cref="Environment.Exit"/> or SIGTERM (<see cref="AppDomain.ProcessExit"/>), an unhandled
/// exception, or Ctrl+C (then profiling stops there, and the app goes on or ends).
/// </summary>
/// <remarks>The settings are removed from the environment, so that processes the app starts are not profiled into the same folder.</remarks>
static class HookProfiler
{
    static EventProfileSet? s_profiles;
    static string? s_folder;
    static int s_saved;
    static PosixSignalRegistration? s_sigint;

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
    }

    // Once, whichever way the app ends first.
    static void Save()
    {
        if (s_profiles is null || Interlocked.Exchange(ref s_saved, 1) != 0) return;
        try
        {
            s_profiles.SaveAll(s_folder!);
            foreach (var problem in s_profiles.Problems) Console.Error.WriteLine($"tracing profile: {problem}");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            Console.Error.WriteLine($"tracing profile: cannot write the profiles into {s_folder}: {e.Message}");
        }
    }
}
