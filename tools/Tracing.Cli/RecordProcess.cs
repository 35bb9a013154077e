using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Diagnostics.Tracing;
using System.IO;
using System.Linq;
using System.Runtime.InteropServices;
using System.Threading;
using Microsoft.Diagnostics.NETCore.Client;
using Microsoft.Diagnostics.Tracing;
using Tracing.Recording;

namespace Tracing.Cli;

/// <summary>
/// <c>tracing record -p PID -o trace.json [--events GLOB]... [--duration 10s]</c>: records a
/// running process's trace events through its diagnostics port (an EventPipe session that enables
/// the process's <c>Tracing</c> EventSource, docs/eventpipe.md) into the Chrome Trace Event JSON
/// the in-process recorder writes, until the duration ends or Ctrl+C.
/// </summary>
static class RecordProcess
{
    // The session's buffer in the process: what absorbs a burst the tool reads more slowly than it is fired.
    const int BufferMB = 256;

    public static int Run(int pid, string file, IReadOnlyList<string> events, TimeSpan? duration, TextWriter output, TextWriter error)
    {
        var path = Path.GetFullPath(file);
        EventPipeSession session;
        try
        {
            var arguments = events.Count == 0 ? null : new Dictionary<string, string> { ["events"] = string.Join(" ", events) };
            var providers = new[] { new EventPipeProvider("Tracing", EventLevel.Verbose, 1, arguments) };
            var client = new DiagnosticsClient(pid);
            try
            {
                // No stack per event (the JSON has none): EventPipe's stack walk costs the firing
                // thread microseconds an event, several times the rest of the write (.NET 9 and later).
                session = client.StartEventPipeSession(new EventPipeSessionConfiguration(providers, BufferMB, requestRundown: false, requestStackwalk: false));
            }
            catch (UnsupportedCommandException)
            {
                // .NET 8 does not know the command that turns stacks off: every event carries one.
                session = client.StartEventPipeSession(providers, requestRundown: false, circularBufferMB: BufferMB);
            }
        }
        catch (Exception e) when (e is ServerNotAvailableException or DiagnosticsClientException or UnauthorizedAccessException or IOException)
        {
            error.WriteLine($"tracing record: cannot open a session with process {pid}: {e.Message} " +
                            "(is it a .NET process of this user, with DOTNET_EnableDiagnostics not 0? `tracing ps` lists them)");
            return TracingCommand.Failed;
        }

        var name = ProcessName(pid);
        var written = 0L;
        var errors = 0;
        using (session)
        using (var stream = File.Create(path))
        // The events' own timestamps (RecordedEventWriter), in the process's clock: the one Stopwatch
        // reads (QueryPerformanceCounter; CLOCK_MONOTONIC in ns on Linux and macOS), whose frequency
        // on this machine is the tool's too. So ts is what the in-process recorder writes.
        using (var writer = new ChromeTraceWriter(stream, Stopwatch.Frequency))
        using (var source = new EventPipeEventSource(session.EventStream))
        {
            writer.WriteProcessName(pid, name);
            var recorded = new RecordedEventWriter(writer, pid);
            source.Dynamic.All += e =>
            {
                if (e.ProviderName != "Tracing") return;
                if (e.EventName == "Error")
                {
                    error.WriteLine($"tracing record: process {pid}: {e.PayloadByName("message")}");
                    errors++;
                    return;
                }
                if (e.EventName == "ThreadName")
                {
                    recorded.AddThreadName(e, e.PayloadByName("name") as string ?? "");
                    return;
                }
                recorded.Add(e);
            };

            using var stop = new CancellationTokenSource();
            using var interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, context =>
            {
                context.Cancel = true;
                stop.Cancel();
            });
            if (duration is { } d) stop.CancelAfter(d);
            var reader = new Thread(() => source.Process()) { IsBackground = true, Name = "EventPipe reader" };
            reader.Start();
            output.WriteLine($"tracing record: recording process {pid} ({name}) into {path}; " +
                             (duration is null ? "Ctrl+C stops." : $"stops after {duration}."));
            WaitHandle.WaitAny(new[] { stop.Token.WaitHandle, ProcessExit(pid) });
            try
            {
                session.Stop(); // the runtime ends the stream: the reader sees its end
            }
            catch (Exception e) when (e is ServerNotAvailableException or IOException or DiagnosticsClientException)
            {
                // The process ended: its stream has ended too.
            }
            if (!reader.Join(TimeSpan.FromSeconds(60)))
            {
                // Still reading what the process's buffers held when the session stopped.
                error.WriteLine("tracing record: the session's stream did not end within 60 s of its stop; the file holds what was read until then.");
                source.StopProcessing();
                reader.Join(TimeSpan.FromSeconds(10));
            }
            if (recorded.Complete() is { } failure)
            {
                error.WriteLine($"tracing record: writing {path} failed: {failure.Message}");
                return TracingCommand.Failed;
            }
            written = recorded.Written;
            writer.Complete();
            var lost = source.EventsLost;
            output.WriteLine($"tracing record: {RecordCommand.Events(written)} in {path}" + (lost > 0 ? $"; EventPipe dropped {RecordCommand.Events(lost)} (its buffers were full)" : ""));
            if (written == 0 && errors == 0)
            {
                // The runtime does not tell a client whether a provider it enables exists.
                error.WriteLine($"tracing record: no trace event arrived from process {pid}. Either none of the selected events fired, " +
                                "or the process has no Tracing EventSource: it runs no woven assembly, or it switched the bridge off " +
                                "(the AppContext switch Tracing.EventPipe.IsSupported=false, or EventSourceSupport=false).");
            }
        }
        return errors > 0 && written == 0 ? TracingCommand.Failed : 0;
    }

    // The name the in-process recorder writes, its entry assembly's: for 'dotnet app.dll' (the
    // process is named dotnet), the app's; otherwise the process's, which is its app host's.
    static string ProcessName(int pid)
    {
        try
        {
            using var process = Process.GetProcessById(pid);
            if (process.ProcessName == "dotnet" && AppOfDotnet(pid) is { } app) return app;
            return process.ProcessName;
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException)
        {
            return pid.ToString();
        }
    }

    // The name of the first .dll on the command line of a 'dotnet' process (Linux: /proc/PID/cmdline;
    // null elsewhere, or when there is none).
    static string? AppOfDotnet(int pid)
    {
        try
        {
            var arguments = File.ReadAllText($"/proc/{pid}/cmdline").Split('\0');
            return arguments.Skip(1).FirstOrDefault(a => a.EndsWith(".dll", StringComparison.OrdinalIgnoreCase)) is { } dll
                ? Path.GetFileNameWithoutExtension(dll)
                : null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    // Signalled when the process ends (a handle that never is, if it cannot be watched).
    static WaitHandle ProcessExit(int pid)
    {
        var ended = new ManualResetEvent(false);
        try
        {
            var process = Process.GetProcessById(pid);
            process.EnableRaisingEvents = true;
            process.Exited += (_, _) => ended.Set();
            if (process.HasExited) ended.Set();
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException or System.ComponentModel.Win32Exception)
        {
            // Not watchable: the duration or Ctrl+C ends the recording.
        }
        return ended;
    }
}
