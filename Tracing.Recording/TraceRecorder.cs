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

    TraceRecorder(string path, FileStream file, TraceRecorderOptions options, TraceEventFilter filter)
    {
        Path = path;
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
            _pg.Done();
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
        var filter = Filter(options);
        if (options.FlushInterval <= TimeSpan.Zero || options.FlushInterval > TimeSpan.FromMilliseconds(200))
            throw new ArgumentOutOfRangeException(nameof(options), $"TraceRecorderOptions.FlushInterval is {options.FlushInterval}; it must be more than 0 and at most 200 ms.");
        if (options.ThreadBufferSize < 64 * 1024)
            throw new ArgumentOutOfRangeException(nameof(options), $"TraceRecorderOptions.ThreadBufferSize is {options.ThreadBufferSize}; it must be at least 64 KiB.");
        // Unbuffered: the writer hands it complete lines only, so a killed process never leaves half a line.
        var file = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.Read, bufferSize: 1);
        try
        {
            return new TraceRecorder(path, file, options, filter);
        }
        catch
        {
            file.Dispose();
            throw;
        }
    }

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
        }
        if (_report is not null)
        {
            if (_dropped > 0)
                _report.WriteLine($"Tracing.Recording: {_dropped} events were dropped in {Path} because a thread's buffer was full " +
                                  "(the writer did not keep up); the file marks where. A larger TraceRecorderOptions.ThreadBufferSize or fewer events helps.");
            foreach (var failure in _sink.AttachFailures)
                _report.WriteLine($"Tracing.Recording: not recorded: {failure}");
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
        }
        try
        {
            if (_report is not null && _dropped > 0)
                _report.WriteLine($"Tracing.Recording: {_dropped} events were dropped in {Path} because a thread's buffer was full (the file marks where).");
            if (_report is not null && _writerError is not null)
                _report.WriteLine($"Tracing.Recording: writing {Path} failed: {_writerError.Message}");
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

    static TraceEventFilter Filter(TraceRecorderOptions options)
    {
        foreach (var (begin, end) in options.Spans)
        {
            if (string.IsNullOrEmpty(begin) || string.IsNullOrEmpty(end) || begin == end)
                throw new ArgumentException($"TraceRecorderOptions.Spans: ('{begin}', '{end}') is not a pair of two event names (Namespace.Type.Event).", nameof(options));
            // A span's events are matched by full name (TraceEventInfo.FullName): a glob or an
            // assembly prefix (Assembly:Name, which the Events globs accept) would never match.
            if (begin.IndexOfAny(new[] { '*', '?', ':' }) >= 0 || end.IndexOfAny(new[] { '*', '?', ':' }) >= 0)
                throw new ArgumentException($"TraceRecorderOptions.Spans: ('{begin}', '{end}') names events with a glob or an assembly; a span is a pair of full event names (Namespace.Type.Event).", nameof(options));
        }
        var names = options.Spans.SelectMany(s => new[] { s.Begin, s.End }).ToList();
        var duplicate = names.GroupBy(n => n).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
            throw new ArgumentException($"TraceRecorderOptions.Spans: {duplicate.Key} is in more than one span; an event can begin or end one span.", nameof(options));
        var globs = options.Events.ToList();
        if (globs.Count == 0) return TraceEventFilter.Parse(globs); // every event, the spans' among them
        return TraceEventFilter.Parse(globs.Concat(names));
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
