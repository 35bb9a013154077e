using System;
using System.Diagnostics;
using System.IO;
using System.Runtime.InteropServices;
using System.Threading;

namespace Tracing.Cli;

/// <summary>
/// Runs the app of <c>tracing record</c> and <c>tracing profile</c> (started with the startup hook)
/// to its end, passing on a SIGINT or SIGTERM sent to the tool.
/// </summary>
/// <remarks>
/// Ctrl+C in a terminal reaches the app too (the terminal signals the whole process group), and
/// so may SIGTERM (systemd signals the whole control group): the app then gets the signal twice,
/// which the startup hook handles. A signal sent to the tool alone (docker stop signals the
/// container's first process) reaches the app only through the tool. The tool stays to finish the
/// app's files after it ends. The handlers are registered before the app starts: registered after,
/// a signal that came while the app started would end the tool (the runtime's default) or find no
/// app to pass on to. A signal that comes before the app's id is known is passed on as soon as it is.
/// </remarks>
static class HookedApp
{
    const int NoSignal = 0;

    /// <summary>The app's exit code, or null when it could not be started (said on <paramref name="error"/>).</summary>
    public static int? Run(ProcessStartInfo start, string tool, TextWriter error)
    {
        Process? app = null;
        var pending = NoSignal; // the number of a signal that came before the app was stored
        void PassOn(PosixSignalContext context)
        {
            context.Cancel = true;
            var signal = SignalNumber(context.Signal);
            Volatile.Write(ref pending, signal);
            if (Volatile.Read(ref app) is { } started) Send(started.Id, signal);
        }
        using var interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, PassOn);
        using var terminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, PassOn);
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
            // The handler stores the signal before it reads the app; this reads the signal after the
            // app is stored: one of the two sees the other (both may, then the app gets it twice).
            if (Volatile.Read(ref pending) is var signal and not NoSignal) Send(app.Id, signal);
            app.WaitForExit();
            return app.ExitCode;
        }
    }

    /// <summary>
    /// The signal that ended a process whose exit code is <paramref name="exitCode"/> (.NET reports
    /// a process ended by signal N as exit code 128 + N), or null.
    /// </summary>
    public static int? EndingSignal(int exitCode) => exitCode is > 128 and < 128 + 65 ? exitCode - 128 : null;

    // PosixSignal's values are not the signal numbers (they are negative, the same on every Unix).
    static int SignalNumber(PosixSignal signal) => signal == PosixSignal.SIGTERM ? 15 : 2;

    static void Send(int pid, int signal)
    {
        if (!OperatingSystem.IsWindows()) _ = kill(pid, signal);
    }

    [DllImport("libc", SetLastError = true)]
    static extern int kill(int pid, int signal);
}
