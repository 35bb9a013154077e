using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Threading;
using Tracing.Recording.Internal;

namespace Tracing.Recording;

/// <summary>
/// Records the trace events of every woven assembly, running now or later, into a Chrome Trace
/// Event JSON file that opens in Perfetto UI (ui.perfetto.dev) and Chrome DevTools (Performance
/// panel, "Load profile"): <c>using (TraceRecorder.Start("trace.json")) RunTheWorkload();</c>.
/// </summary>
/// <remarks>
/// <para>
/// Each firing of a selected event becomes an instant on its thread's track, with a timestamp
/// (<see cref="Stopwatch"/>, written in microseconds with three decimals), the OS thread id, the
/// event's full name and each argument under its parameter name, by the value rules every sink
/// shares (<see cref="TraceValueWriter"/>; an object's <c>ToString()</c> is taken when the event
/// fires). Configured <see cref="TraceRecorderOptions.Spans"/> become slices.
/// </para>
/// <para>
/// The recorder is a sink attached through <see cref="Trace.AttachSink(ProbeGroup, TraceEventFilter, TraceEventSink)"/>:
/// it composes with other probes, with tracetest and with other recorders (each with its own
/// file). The firing thread only copies the event into its own buffer; a background thread
/// formats JSON and writes the file, at least every 200 ms, so a process killed while recording
/// leaves a file that parses once <c>]</c> is appended. Events that find their thread's buffer
/// full are dropped and counted: the count goes into the file (an instant named
/// <c>Tracing.Recording: events dropped</c> on the thread that dropped them) and is reported by
/// <see cref="Dispose"/>.
/// </para>
/// </remarks>
public sealed class TraceRecorder : IDisposable
{
    /// <summary>The name of the instant that records drops in the file.</summary>
    public const string DroppedEventName = "Tracing.Recording: events dropped";

    readonly ProbeGroup _pg = new();
    readonly RecorderSink _sink;
    readonly ChromeTraceWriter _writer;
    readonly ChromeRecordReader _reader;
    readonly Thread _thread;
    readonly AutoResetEvent _wake = new(false);
    readonly TimeSpan _flushInterval;
    readonly TextWriter? _report;
    readonly object _disposeGate = new();
    volatile bool _stopping;
    bool _disposed;
    Exception? _writerError;
    long _recorded;
    long _dropped;
    long _flushRequests;
    long _flushesDone;

    readonly string _fullPath;
    readonly string[] _globs;
    readonly string[] _spanEvents;

    TraceRecorder(string path, string fullPath, FileStream file, TraceRecorderOptions options, TraceEventFilter filter)
    {
        Path = path;
        _fullPath = fullPath;
        _globs = options.Events.ToArray(); // copies: the options may change after Start
        _spanEvents = options.Spans.SelectMany(p => new[] { p.Begin, p.End }).ToArray();
        _flushInterval = options.FlushInterval;
        _report = options.Report;
        _sink = new RecorderSink(SlotCapacity(options.ThreadBufferSize)) { Wake = _wake };
        _writer = new ChromeTraceWriter(file, Stopwatch.Frequency);
        var pid = OsThread.ProcessId();
        _reader = new ChromeRecordReader(_writer, pid, options.Spans);
        _writer.WriteProcessName(pid, options.ProcessName ?? DefaultProcessName());
        _writer.Flush();
        _thread = new Thread(Run) { IsBackground = true, Name = "Tracing.Recording writer" };
        _thread.Start();
        try
        {
            Trace.Setup(() => Trace.AttachSink(_pg, filter, _sink));
        }
        catch
        {
            // Attaching failed (under Trace.Lock, Setup's Lock throws: the lock is not
            // re-entrant). Nothing is attached then; Done, which takes the lock, would throw
            // too and hide that error.
            try
            {
                _pg.Done();
            }
            catch (InvalidOperationException)
            {
            }
            _stopping = true;
            _wake.Set();
            _thread.Join();
            _sink.ReleaseSlot();
            throw;
        }
    }

    /// <summary>
    /// Starts recording into <paramref name="path"/> (created or truncated) every event that
    /// <paramref name="options"/> select (every event by default), until <see cref="Dispose"/>.
    /// </summary>
    /// <exception cref="ArgumentException">The path is empty, a glob is malformed, or a span is not a pair of event names.</exception>
    /// <exception cref="IOException">The file cannot be created.</exception>
    public static TraceRecorder Start(string path, TraceRecorderOptions? options = null)
    {
        if (path is null) throw new ArgumentNullException(nameof(path));
        if (path.Length == 0) throw new ArgumentException("TraceRecorder.Start: the path of the trace file is empty.", nameof(path));
        options ??= new TraceRecorderOptions();
        var filter = options.Filter();
        if (Directory.Exists(path))
            throw new ArgumentException($"TraceRecorder.Start: {path} is a directory; give the path of the trace file to write.", nameof(path));
        var fullPath = System.IO.Path.GetFullPath(path);
        lock (s_openPaths)
        {
            // Two writers of one file would interleave or truncate each other's lines, and on
            // Unix nothing stops a second open of it.
            if (!s_openPaths.Add(fullPath))
                throw new IOException($"TraceRecorder.Start: {fullPath} is already being written by another TraceRecorder in this process " +
                                      "(`tracing record -o` records into its file from inside the app, too); give each recording its own file.");
        }
        FileStream? file = null;
        try
        {
            // Unbuffered: the writer hands it complete lines only, so a killed process never leaves half a line.
            file = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.Read, bufferSize: 1);
            return new TraceRecorder(path, fullPath, file, options, filter);
        }
        catch
        {
            // No recording: no file (it was created or truncated here), rather than half of one.
            if (file is not null)
            {
                file.Dispose();
                TryDelete(path);
            }
            lock (s_openPaths) s_openPaths.Remove(fullPath);
            throw;
        }
    }

    // What the options named that matches no event of the assemblies loaded when the recording
    // stops: most likely a misspelt name, which would otherwise record nothing without a word.
    void ReportUnmatched(TextWriter report)
    {
        var loaded = Trace.LoadedEvents();
        bool MatchesNothing(string glob) => !loaded.Any(TraceEventFilter.Parse(new[] { glob }).Matches);
        var unmatched = _globs.Where(MatchesNothing).Select(g => $"the glob {g}")
            .Concat(_spanEvents.Where(MatchesNothing).Select(n => $"the span event {n}"));
        foreach (var what in unmatched)
            report.WriteLine($"Tracing.Recording: {what} matched no trace event of the assemblies loaded; a misspelt name records nothing.");
    }

    static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Left as it is; the exception being thrown says why there is no recording.
        }
    }

    // The full paths of the files the recorders of this process are writing.
    static readonly HashSet<string> s_openPaths = new(StringComparer.Ordinal);

    /// <summary>The file being written.</summary>
    public string Path { get; }

    /// <summary>Events written to the file so far (metadata not counted).</summary>
    public long RecordedEvents => Interlocked.Read(ref _recorded);

    /// <summary>Events dropped so far because their thread's buffer was full (written to the file when the writer drains the thread).</summary>
    public long DroppedEvents => _disposed ? _dropped : _sink.Threads.Sum(t => t.Dropped);

    /// <summary>
    /// Stops recording and completes the file: detaches from every event, waits until no firing is
    /// inside the recorder (<see cref="Trace.Synchronize"/>), writes what the buffers hold, closes
    /// the JSON array and the file. Reports dropped events to <see cref="TraceRecorderOptions.Report"/>.
    /// </summary>
    /// <exception cref="IOException">Writing the file failed (the recording stopped there).</exception>
    /// <exception cref="InvalidOperationException">Called from a probe or under the trace lock.</exception>
    public void Dispose()
    {
        lock (_disposeGate)
        {
            if (_disposed) return;
            _pg.Done();
            Trace.Synchronize();
            _stopping = true;
            _wake.Set();
            _thread.Join();
            _disposed = true;
            _dropped = _sink.Threads.Sum(t => t.Dropped);
            foreach (var thread in _sink.Threads) thread.Release();
            _sink.ReleaseSlot();
            _wake.Dispose();
            lock (s_openPaths) s_openPaths.Remove(_fullPath);
        }
        if (_report is not null)
        {
            if (_dropped > 0)
                _report.WriteLine($"Tracing.Recording: {_dropped} events were dropped in {Path} because a thread's buffer was full " +
                                  "(the writer did not keep up); the file marks where. A larger TraceRecorderOptions.ThreadBufferSize or fewer events helps.");
            foreach (var failure in _sink.AttachFailures)
                _report.WriteLine($"Tracing.Recording: not recorded: {failure}");
            ReportUnmatched(_report);
        }
        if (_writerError is not null)
            throw new IOException($"Tracing.Recording: writing {Path} failed: {_writerError.Message}", _writerError);
    }

    /// <summary>
    /// Has the writer drain every buffer and flush the file now, and waits for it (bounded): the
    /// file then holds every event published so far, though it is not complete. For a process
    /// that may be ended abruptly next (Ctrl+C). False when the writer did not finish in time.
    /// </summary>
    internal bool FlushNow(TimeSpan timeout)
    {
        var target = Interlocked.Increment(ref _flushRequests);
        try
        {
            _wake.Set();
        }
        catch (ObjectDisposedException)
        {
            return true; // stopped: the file is complete
        }
        return SpinWait.SpinUntil(() => Volatile.Read(ref _flushesDone) >= target || !_thread.IsAlive, timeout);
    }

    /// <summary>
    /// Stops recording and completes the file at process exit (the startup hook of `tracing
    /// record`): like <see cref="Dispose"/>, but it does not wait for firings on other threads,
    /// which may be stopped for good at exit (their records are not published, so none is torn),
    /// and leaves their buffers in place. Reports drops like Dispose; never throws.
    /// </summary>
    internal void CompleteAtExit(TimeSpan timeout)
    {
        lock (_disposeGate)
        {
            if (_disposed) return;
            _pg.Done();
            _stopping = true;
            _wake.Set();
            _thread.Join(timeout);
            _disposed = true;
            _dropped = _sink.Threads.Sum(t => t.Dropped);
            lock (s_openPaths) s_openPaths.Remove(_fullPath);
        }
        try
        {
            if (_report is not null && _dropped > 0)
                _report.WriteLine($"Tracing.Recording: {_dropped} events were dropped in {Path} because a thread's buffer was full (the file marks where).");
            if (_report is not null && _writerError is not null)
                _report.WriteLine($"Tracing.Recording: writing {Path} failed: {_writerError.Message}");
            if (_report is not null) ReportUnmatched(_report);
        }
        catch (Exception)
        {
            // At exit, standard error may be gone; the file says the same.
        }
    }

    void Run()
    {
        try
        {
            var busy = false;
            var lastFlush = Stopwatch.StartNew();
            while (!_stopping)
            {
                // A pass that found buffers filling up goes again at once: sleeping would leave
                // them full, and the firing threads would drop events. A thread whose buffer gets
                // half full wakes the writer (ThreadBuffer.MakeRoom), so it sleeps at most until then.
                if (!busy) _wake.WaitOne(_flushInterval);
                var requested = Volatile.Read(ref _flushRequests);
                busy = Drain();
                if (!busy || lastFlush.Elapsed >= _flushInterval || requested != Volatile.Read(ref _flushesDone))
                {
                    _writer.Flush();
                    lastFlush.Restart();
                    Volatile.Write(ref _flushesDone, requested);
                }
            }
            Drain(); // what was published before Synchronize returned
            _writer.Complete();
        }
        catch (Exception e)
        {
            _writerError = e; // buffers fill and count drops from here on; Dispose reports it
        }
        finally
        {
            try
            {
                _writer.Dispose();
            }
            catch (Exception e) when (_writerError is null)
            {
                _writerError = e;
            }
            catch (Exception)
            {
                // The first error is the one reported.
            }
        }
    }

    // Whether some buffer was an eighth full or more (the writer should not sleep).
    bool Drain()
    {
        var busy = false;
        foreach (var thread in _sink.Threads)
        {
            _reader.NameThread(thread);
            var records = thread.Drain(_reader);
            busy |= records * 3L >= thread.Capacity / 8; // a record of two arguments takes 3 slots
            Interlocked.Add(ref _recorded, records);
            var dropped = thread.Dropped;
            if (dropped > thread.ReportedDropped)
            {
                _reader.WriteDropped(thread, dropped - thread.ReportedDropped, dropped);
                thread.ReportedDropped = dropped;
                busy = true;
            }
        }
        return busy;
    }


    static int SlotCapacity(int bytes)
    {
        var slots = bytes / 24;
        var capacity = 1;
        while (capacity * 2 <= slots) capacity *= 2;
        return capacity;
    }

    static string DefaultProcessName()
    {
        var entry = Assembly.GetEntryAssembly()?.GetName().Name;
        if (!string.IsNullOrEmpty(entry)) return entry!;
        using var process = Process.GetCurrentProcess();
        return process.ProcessName;
    }
}
