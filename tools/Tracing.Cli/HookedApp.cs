using System;
using System.Diagnostics;
using System.IO;
using System.Runtime.InteropServices;
using System.Threading;

namespace Tracing.Cli;

/// <summary>
/// Runs the app of <c>tracing record</c> and <c>tracing profile</c> (started with the startup hook)
/// to its end, passing on a SIGINT sent to the tool alone.
/// </summary>
/// <remarks>
/// Ctrl+C in a terminal reaches the app too (the terminal signals the whole process group); the
/// tool stays to finish the app's files after it ends. The handler is registered before the app
/// starts: registered after, a signal that came while the app started would end the tool (the
/// runtime's default) or find no app to pass on to. A signal that comes before the app's id is
/// known is passed on as soon as it is (the app may then get it twice, as from two Ctrl+C).
/// </remarks>
static class HookedApp
{
    /// <summary>The app's exit code, or null when it could not be started (said on <paramref name="error"/>).</summary>
    public static int? Run(ProcessStartInfo start, string tool, TextWriter error)
    {
        Process? app = null;
        var interrupted = 0;
        using var registration = PosixSignalRegistration.Create(PosixSignal.SIGINT, context =>
        {
            context.Cancel = true;
            Volatile.Write(ref interrupted, 1);
            if (Volatile.Read(ref app) is { } started) Interrupt(started.Id);
        });
        try
        {
            Volatile.Write(ref app, Process.Start(start)!);
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            error.WriteLine($"{tool}: cannot start {start.FileName}: {e.Message}");
            return null;
        }
        using (app)
        {
            // The handler stores the flag before it reads the app; this reads the flag after the
            // app is stored: one of the two sees the other (both may, then the app gets two).
            if (Volatile.Read(ref interrupted) == 1) Interrupt(app.Id);
            app.WaitForExit();
            return app.ExitCode;
        }
    }

    static void Interrupt(int pid)
    {
        if (!OperatingSystem.IsWindows()) _ = kill(pid, 2 /* SIGINT */);
    }

    [DllImport("libc", SetLastError = true)]
    static extern int kill(int pid, int signal);
}
