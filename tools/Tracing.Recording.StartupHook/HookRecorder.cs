using System;
using System.IO;
using System.Linq;
using System.Runtime.InteropServices;

namespace Tracing.Recording.Hook;

/// <summary>
/// Records the app the hook runs in, from the settings `tracing record` put in its environment,
/// and completes the file however the app ends.
/// </summary>
/// <remarks>
/// <list type="bullet">
/// <item>Normal exit, <see cref="Environment.Exit"/>: <see cref="AppDomain.ProcessExit"/> completes the file.</item>
/// <item>An unhandled exception: <see cref="AppDomain.UnhandledException"/> completes it before the runtime ends the process.</item>
/// <item>Ctrl+C (SIGINT) and SIGTERM (docker stop, systemd): the buffers are written at once; the app then exits
/// (ProcessExit completes the file) or goes on (it handled the signal, and recording goes on). If the runtime ends it without
/// ProcessExit (the default for both signals in an app that does not handle them), every event up to the signal is in the
/// file and `tracing record` closes the JSON array.</item>
/// </list>
/// The file is flushed, not completed, at a signal: an app that handles SIGTERM gracefully (the Generic Host stops its
/// services, then exits) goes on firing events until its ProcessExit, and they belong in the file.
/// Every signal waits for its flush, a repeated one too (a terminal's Ctrl+C reaches the app and `tracing record`, which
/// passes it on): returned early, its default action would end the app before the events are written.
/// The settings are removed from the environment, so that processes the app starts are not recorded into the same file.
/// </remarks>
static class HookRecorder
{
    static TraceRecorder? s_recorder;
    static PosixSignalRegistration? s_sigint, s_sigterm;

    internal static void StartFromEnvironment()
    {
        var output = Environment.GetEnvironmentVariable(HookSettings.OutputVariable)!;
        var options = new TraceRecorderOptions();
        foreach (var glob in Lines(HookSettings.EventsVariable)) options.Events.Add(glob);
        foreach (var span in Lines(HookSettings.SpansVariable))
        {
            var parts = span.Split(',');
            if (parts.Length == 2) options.Spans.Add((parts[0].Trim(), parts[1].Trim()));
        }
        foreach (var variable in new[] { HookSettings.OutputVariable, HookSettings.EventsVariable, HookSettings.SpansVariable })
            Environment.SetEnvironmentVariable(variable, null);
        var hooks = Environment.GetEnvironmentVariable("DOTNET_STARTUP_HOOKS");
        if (hooks is not null)
        {
            var others = hooks.Split(Path.PathSeparator).Where(h => !h.EndsWith(HookSettings.AssemblyFileName, StringComparison.OrdinalIgnoreCase));
            Environment.SetEnvironmentVariable("DOTNET_STARTUP_HOOKS", string.Join(Path.PathSeparator.ToString(), others) is { Length: > 0 } rest ? rest : null);
        }
        try
        {
            s_recorder = TraceRecorder.Start(output, options);
        }
        catch (Exception e) when (e is ArgumentException or IOException or UnauthorizedAccessException)
        {
            Console.Error.WriteLine($"tracing record: cannot record this app: {e.Message}");
            return;
        }
        AppDomain.CurrentDomain.ProcessExit += (_, _) => Complete();
        AppDomain.CurrentDomain.UnhandledException += (_, _) => Complete();
        s_sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, _ => Flush());
        s_sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, _ => Flush());
    }

    static void Flush() => s_recorder?.FlushNow(TimeSpan.FromSeconds(5));

    static void Complete() => s_recorder?.CompleteAtExit(TimeSpan.FromSeconds(10));

    static string[] Lines(string variable) =>
        (Environment.GetEnvironmentVariable(variable) ?? "").Split(new[] { '\n' }, StringSplitOptions.RemoveEmptyEntries).Select(l => l.Trim()).Where(l => l.Length > 0).ToArray();
}
