using System;
using System.Globalization;
using System.IO;
using System.Text;

namespace Tracing.Recording;

/// <summary>The kind of a Chrome trace event (its <c>"ph"</c>).</summary>
public enum ChromeTracePhase
{
    /// <summary><c>"ph":"I","s":"t"</c>: an instant on its thread's track.</summary>
    Instant,

    /// <summary><c>"ph":"B"</c>: a slice begins on its thread.</summary>
    Begin,

    /// <summary><c>"ph":"E"</c>: the slice that began last on its thread ends.</summary>
    End,
}

/// <summary>
/// A name or argument key, encoded once as JSON string content (escaped UTF-8), so that writing
/// it again costs a copy.
/// </summary>
public sealed class ChromeTraceName
{
    /// <summary>Encodes <paramref name="text"/>.</summary>
    public ChromeTraceName(string text)
    {
        Text = text ?? throw new ArgumentNullException(nameof(text));
        var buffer = new ByteBuffer(text.Length + 8);
        buffer.AppendEscaped(text);
        Utf8 = buffer.ToArray();
        buffer.Clear();
        buffer.Append(",\"");
        buffer.Append(Utf8);
        buffer.Append("\":");
        Key = buffer.ToArray();
        buffer.Clear();
        buffer.Append(",\"args\":{\"");
        buffer.Append(Utf8);
        buffer.Append("\":");
        FirstKey = buffer.ToArray();
    }

    /// <summary>The text.</summary>
    public string Text { get; }

    internal byte[] Utf8 { get; }

    /// <summary>The name as an argument key after another: <c>,"name":</c>.</summary>
    internal byte[] Key { get; }

    /// <summary>The name as the first argument key: <c>,"args":{"name":</c>.</summary>
    internal byte[] FirstKey { get; }

    /// <inheritdoc/>
    public override string ToString() => Text;
}

/// <summary>
/// Writes a stream of events as Chrome Trace Event JSON (the format of Perfetto UI, Chrome DevTools
/// and chrome://tracing): the part of recording that does not care where the events come from.
/// <see cref="TraceRecorder"/> feeds it from the per-thread buffers of a process; a reader of an
/// EventPipe session can feed it the same way.
/// </summary>
/// <remarks>
/// <para>
/// The output is a JSON array with one event per line after the opening <c>[</c>; every line
/// after the first event starts with the comma that separates it from the one before. So the
/// stream is valid JSON once <c>]</c> is appended after any complete line: a process killed while
/// recording leaves a file that parses after <c>echo ']' &gt;&gt; trace.json</c>. <see cref="Flush"/>
/// writes complete lines only.
/// </para>
/// <para>
/// Timestamps are given in ticks of a clock with <c>timestampFrequency</c> ticks per second
/// (the <see cref="System.Diagnostics.Stopwatch"/>'s, by default) and written as <c>"ts"</c> in
/// microseconds with three decimals (nanoseconds), from the clock's own origin, so files and
/// sources that use the same clock line up. Instants are <c>"ph":"I"</c> with <c>"s":"t"</c>
/// (DevTools drops lowercase <c>"i"</c>); there is no <c>displayTimeUnit</c>.
/// </para>
/// <para>Not thread-safe: one thread writes.</para>
/// </remarks>
public sealed class ChromeTraceWriter : IDisposable
{
    // Large writes: at millions of events a second, each write is a system call.
    const int FlushThreshold = 256 * 1024;

    static readonly byte[] s_instantHead = Utf8("{\"ph\":\"I\",\"s\":\"t\",\"name\":\"");
    static readonly byte[] s_beginHead = Utf8("{\"ph\":\"B\",\"name\":\"");
    static readonly byte[] s_endHead = Utf8("{\"ph\":\"E\",\"name\":\"");
    static readonly byte[] s_pid = Utf8("\",\"pid\":");
    static readonly byte[] s_tid = Utf8(",\"tid\":");
    static readonly byte[] s_ts = Utf8(",\"ts\":");
    static readonly byte[] s_endLine = Utf8("}\n");
    static readonly byte[] s_endLineWithArguments = Utf8("}}\n");

    readonly Stream _stream;
    readonly bool _leaveOpen;
    readonly long _frequency;
    readonly ByteBuffer _buffer = new(FlushThreshold * 2);
    bool _anyEvent;
    bool _inEvent;
    bool _anyArgument;
    bool _completed;
    bool _disposed;

    /// <summary>Starts the JSON array on <paramref name="stream"/>.</summary>
    /// <param name="stream">Where the JSON goes.</param>
    /// <param name="timestampFrequency">Ticks per second of the timestamps given to <see cref="BeginEvent"/>.</param>
    /// <param name="leaveOpen">Whether <see cref="Dispose"/> leaves <paramref name="stream"/> open.</param>
    public ChromeTraceWriter(Stream stream, long timestampFrequency, bool leaveOpen = false)
    {
        _stream = stream ?? throw new ArgumentNullException(nameof(stream));
        if (timestampFrequency <= 0) throw new ArgumentOutOfRangeException(nameof(timestampFrequency), "The timestamp frequency must be positive.");
        _frequency = timestampFrequency;
        _leaveOpen = leaveOpen;
        _buffer.Append((byte)'[');
        _buffer.Append((byte)'\n');
    }

    /// <summary>How many events (metadata included) were written.</summary>
    public long EventsWritten { get; private set; }

    /// <summary>A <c>process_name</c> metadata event: the name the viewer gives the process.</summary>
    public void WriteProcessName(long pid, string name) => WriteMetadata("process_name", pid, 0, name);

    /// <summary>A <c>thread_name</c> metadata event: the name of the thread's track.</summary>
    public void WriteThreadName(long pid, long tid, string name) => WriteMetadata("thread_name", pid, tid, name);

    /// <summary>A <c>thread_sort_index</c> metadata event: where the viewer puts the thread's track.</summary>
    public void WriteThreadSortIndex(long pid, long tid, long index)
    {
        StartLine();
        _buffer.Append("{\"ph\":\"M\",\"name\":\"thread_sort_index\",\"pid\":");
        _buffer.AppendInt64(pid);
        _buffer.Append(",\"tid\":");
        _buffer.AppendInt64(tid);
        _buffer.Append(",\"args\":{\"sort_index\":");
        _buffer.AppendInt64(index);
        _buffer.Append("}}");
        EndLine();
    }

    void WriteMetadata(string kind, long pid, long tid, string name)
    {
        if (name is null) throw new ArgumentNullException(nameof(name));
        StartLine();
        _buffer.Append("{\"ph\":\"M\",\"name\":\"");
        _buffer.Append(kind);
        _buffer.Append("\",\"pid\":");
        _buffer.AppendInt64(pid);
        _buffer.Append(",\"tid\":");
        _buffer.AppendInt64(tid);
        _buffer.Append(",\"args\":{\"name\":\"");
        _buffer.AppendEscaped(name);
        _buffer.Append("\"}}");
        EndLine();
    }

    /// <summary>
    /// Starts an event; add its arguments with the <c>WriteArgument</c> overloads, then call
    /// <see cref="EndEvent"/>.
    /// </summary>
    /// <param name="phase">Instant, slice begin or slice end. An end closes the slice that began last on the thread, and should carry the same name.</param>
    /// <param name="name">The event's name.</param>
    /// <param name="pid">The process id.</param>
    /// <param name="tid">The (OS) thread id: the track the event goes on.</param>
    /// <param name="timestamp">When, in ticks of the writer's clock.</param>
    public void BeginEvent(ChromeTracePhase phase, ChromeTraceName name, long pid, long tid, long timestamp)
    {
        if (name is null) throw new ArgumentNullException(nameof(name));
        if (_inEvent) throw new InvalidOperationException("ChromeTraceWriter.BeginEvent: the previous event was not ended (EndEvent).");
        StartLine();
        _buffer.Append(phase switch
        {
            ChromeTracePhase.Begin => s_beginHead,
            ChromeTracePhase.End => s_endHead,
            _ => s_instantHead,
        });
        _buffer.Append(name.Utf8);
        _buffer.Append(s_pid);
        _buffer.AppendInt64(pid);
        _buffer.Append(s_tid);
        _buffer.AppendInt64(tid);
        _buffer.Append(s_ts);
        AppendMicroseconds(timestamp);
        _inEvent = true;
        _anyArgument = false;
    }

    /// <summary>
    /// The start of an instant's line up to its timestamp, <c>{"ph":"I","s":"t","name":…,"pid":…,"tid":…,"ts":</c>,
    /// for <see cref="BeginInstant"/>: a recorder makes it once per event and thread.
    /// </summary>
    internal static byte[] InstantPrefix(ChromeTraceName name, long pid, long tid)
    {
        var prefix = new ByteBuffer(name.Utf8.Length + 80);
        prefix.Append(s_instantHead);
        prefix.Append(name.Utf8);
        prefix.Append(s_pid);
        prefix.AppendInt64(pid);
        prefix.Append(s_tid);
        prefix.AppendInt64(tid);
        prefix.Append(s_ts);
        return prefix.ToArray();
    }

    /// <summary>
    /// <see cref="BeginEvent"/> for an instant whose line up to the timestamp is
    /// <paramref name="prefix"/> (<see cref="InstantPrefix"/>): one copy instead of five pieces.
    /// </summary>
    internal void BeginInstant(byte[] prefix, long timestamp)
    {
        if (_inEvent) throw new InvalidOperationException("ChromeTraceWriter.BeginEvent: the previous event was not ended (EndEvent).");
        StartLine();
        _buffer.Append(prefix);
        AppendMicroseconds(timestamp);
        _inEvent = true;
        _anyArgument = false;
    }

    /// <summary>Ends the event <see cref="BeginEvent"/> started.</summary>
    public void EndEvent()
    {
        VerifyInEvent();
        _buffer.Append(_anyArgument ? s_endLineWithArguments : s_endLine);
        _inEvent = false;
        EventsWritten++;
        if (_buffer.Length >= FlushThreshold) WritePending();
    }

    /// <summary>An argument that is null.</summary>
    public void WriteNullArgument(ChromeTraceName name)
    {
        ArgumentKey(name);
        _buffer.Append("null");
    }

    /// <summary>A boolean argument.</summary>
    public void WriteArgument(ChromeTraceName name, bool value)
    {
        ArgumentKey(name);
        _buffer.Append(value ? "true" : "false");
    }

    /// <summary>A signed integer argument.</summary>
    public void WriteArgument(ChromeTraceName name, long value)
    {
        ArgumentKey(name);
        _buffer.AppendInt64(value);
    }

    /// <summary>An unsigned integer argument.</summary>
    public void WriteArgument(ChromeTraceName name, ulong value)
    {
        ArgumentKey(name);
        _buffer.AppendUInt64(value);
    }

    /// <summary>A floating-point argument; NaN and infinities, which JSON has no number for, as strings.</summary>
    public void WriteArgument(ChromeTraceName name, double value)
    {
        ArgumentKey(name);
        if (double.IsNaN(value) || double.IsInfinity(value))
        {
            _buffer.Append((byte)'"');
            _buffer.Append(value.ToString(CultureInfo.InvariantCulture));
            _buffer.Append((byte)'"');
        }
        else
        {
            _buffer.Append(value.ToString("R", CultureInfo.InvariantCulture));
        }
    }

    /// <summary>A decimal argument, as a JSON number with every digit.</summary>
    public void WriteArgument(ChromeTraceName name, decimal value)
    {
        ArgumentKey(name);
        _buffer.Append(value.ToString(CultureInfo.InvariantCulture));
    }

    /// <summary>A string argument.</summary>
    public void WriteArgument(ChromeTraceName name, string value)
    {
        if (value is null)
        {
            WriteNullArgument(name);
            return;
        }
        ArgumentKey(name);
        _buffer.AppendQuoted(value);
    }

    /// <summary>A char argument, as a one-character string.</summary>
    public void WriteArgument(ChromeTraceName name, char value) => WriteArgument(name, value.ToString());

    /// <summary>A <see cref="DateTime"/> argument, as an ISO 8601 string (round-trip format, with its kind).</summary>
    public void WriteArgument(ChromeTraceName name, DateTime value) => WriteArgument(name, value.ToString("o", CultureInfo.InvariantCulture));

    /// <summary>A <see cref="TimeSpan"/> argument, as a string in the constant format (<c>00:00:01.5000000</c>).</summary>
    public void WriteArgument(ChromeTraceName name, TimeSpan value) => WriteArgument(name, value.ToString("c", CultureInfo.InvariantCulture));

    /// <summary>A <see cref="Guid"/> argument, as a string (<c>01234567-89ab-…</c>).</summary>
    public void WriteArgument(ChromeTraceName name, Guid value) => WriteArgument(name, value.ToString("D"));

    /// <summary>Writes the complete lines so far to the stream and flushes it.</summary>
    public void Flush()
    {
        if (_inEvent) throw new InvalidOperationException("ChromeTraceWriter.Flush: an event is still being written (EndEvent).");
        WritePending();
        _stream.Flush();
    }

    /// <summary>Closes the JSON array (<c>]</c>) and flushes: the file is complete.</summary>
    public void Complete()
    {
        if (_completed) return;
        if (_inEvent) throw new InvalidOperationException("ChromeTraceWriter.Complete: an event is still being written (EndEvent).");
        _buffer.Append("]\n");
        _completed = true;
        Flush();
    }

    /// <summary>Completes the file (unless done) and closes the stream unless told to leave it open.</summary>
    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        try
        {
            if (!_inEvent) Complete();
        }
        finally
        {
            if (!_leaveOpen) _stream.Dispose();
        }
    }

    void StartLine()
    {
        if (_completed) throw new InvalidOperationException("ChromeTraceWriter: the trace is complete; nothing can be written after it.");
        if (_anyEvent) _buffer.Append((byte)',');
        _anyEvent = true;
    }

    void EndLine()
    {
        _buffer.Append((byte)'\n');
        EventsWritten++;
        if (_buffer.Length >= FlushThreshold) WritePending();
    }

    void WritePending()
    {
        if (_buffer.Length == 0) return;
        _stream.Write(_buffer.Array, 0, _buffer.Length);
        _buffer.Clear();
    }

    void ArgumentKey(ChromeTraceName name)
    {
        if (name is null) throw new ArgumentNullException(nameof(name));
        VerifyInEvent();
        _buffer.Append(_anyArgument ? name.Key : name.FirstKey);
        _anyArgument = true;
    }

    void VerifyInEvent()
    {
        if (!_inEvent) throw new InvalidOperationException("ChromeTraceWriter: no event was begun (BeginEvent).");
    }

    // ts in microseconds with three decimals: the timestamp in nanoseconds, split at the point.
    void AppendMicroseconds(long ticks)
    {
        var nanoseconds = _frequency == 1_000_000_000
            ? ticks
            : ticks / _frequency * 1_000_000_000 + ticks % _frequency * 1_000_000_000 / _frequency;
        if (nanoseconds < 0)
        {
            _buffer.Append((byte)'-');
            nanoseconds = -nanoseconds;
        }
        var microseconds = nanoseconds / 1000;
        _buffer.AppendUInt64((ulong)microseconds);
        _buffer.AppendFraction((int)(nanoseconds - microseconds * 1000));
    }

    static byte[] Utf8(string text) => Encoding.UTF8.GetBytes(text);
}

/// <summary>A growable byte buffer that JSON text is appended to.</summary>
sealed class ByteBuffer
{
    static readonly byte[] s_hex = Encoding.ASCII.GetBytes("0123456789abcdef");
#if NET
    static readonly System.Buffers.SearchValues<char> s_needsEscape = System.Buffers.SearchValues.Create(
        "\"\\\u0000\u0001\u0002\u0003\u0004\u0005\u0006\u0007\u0008\u0009\u000a\u000b\u000c\u000d\u000e\u000f" +
        "\u0010\u0011\u0012\u0013\u0014\u0015\u0016\u0017\u0018\u0019\u001a\u001b\u001c\u001d\u001e\u001f");
#endif

    public ByteBuffer(int capacity) => Array = new byte[Math.Max(capacity, 16)];

    public byte[] Array { get; private set; }

    public int Length { get; private set; }

    public void Clear() => Length = 0;

    public byte[] ToArray()
    {
        var copy = new byte[Length];
        Buffer.BlockCopy(Array, 0, copy, 0, Length);
        return copy;
    }

    public void Append(byte b)
    {
        if (Length == Array.Length) Grow(1);
        Array[Length++] = b;
    }

    public void Append(byte[] bytes)
    {
        if (Length + bytes.Length > Array.Length) Grow(bytes.Length);
#if NET
        bytes.AsSpan().CopyTo(Array.AsSpan(Length));
#else
        Buffer.BlockCopy(bytes, 0, Array, Length, bytes.Length);
#endif
        Length += bytes.Length;
    }

    /// <summary>A JSON string: quotes around the escaped text.</summary>
    public void AppendQuoted(string text)
    {
#if NET
        // Most text needs no escaping: one vectorized search, one vectorized transcode.
        if (text.AsSpan().IndexOfAny(s_needsEscape) < 0)
        {
            var max = Encoding.UTF8.GetMaxByteCount(text.Length) + 2;
            if (Length + max > Array.Length) Grow(max);
            var array = Array;
            array[Length] = (byte)'"';
            var end = Length + 1 + Encoding.UTF8.GetBytes(text.AsSpan(), array.AsSpan(Length + 1));
            array[end] = (byte)'"';
            Length = end + 1;
            return;
        }
#endif
        Append((byte)'"');
        AppendEscaped(text);
        Append((byte)'"');
    }

    /// <summary>ASCII text that needs no escaping (the writer's own punctuation and numbers).</summary>
    public void Append(string ascii)
    {
        if (Length + ascii.Length > Array.Length) Grow(ascii.Length);
        foreach (var c in ascii) Array[Length++] = (byte)c;
    }

    public void AppendInt64(long value)
    {
        if (value < 0)
        {
            Append((byte)'-');
            AppendUInt64(value == long.MinValue ? (ulong)long.MaxValue + 1 : (ulong)-value);
        }
        else
        {
            AppendUInt64((ulong)value);
        }
    }

    public void AppendUInt64(ulong value)
    {
        if (Length + 20 > Array.Length) Grow(20);
#if NET
        value.TryFormat(Array.AsSpan(Length), out var written, default, CultureInfo.InvariantCulture);
        Length += written;
#else
        var digits = 1;
        for (var v = value; v >= 10; v /= 10) digits++;
        var end = Length + digits;
        for (var i = end - 1; i >= Length; i--)
        {
            Array[i] = (byte)('0' + (int)(value % 10));
            value /= 10;
        }
        Length = end;
#endif
    }

    /// <summary>A point and three digits: the fraction of a microsecond in nanoseconds (0 to 999).</summary>
    public void AppendFraction(int nanoseconds)
    {
        if (Length + 4 > Array.Length) Grow(4);
        var array = Array;
        var at = Length;
        var tens = nanoseconds / 10;
        array[at] = (byte)'.';
        array[at + 1] = (byte)('0' + tens / 10);
        array[at + 2] = (byte)('0' + tens % 10);
        array[at + 3] = (byte)('0' + (nanoseconds - tens * 10));
        Length = at + 4;
    }

    /// <summary>The content of a JSON string: quotes, backslashes and control characters escaped, UTF-8.</summary>
    public void AppendEscaped(string text)
    {
#if NET
        // Most text needs no escaping: one vectorized search, one vectorized transcode.
        if (text.AsSpan().IndexOfAny(s_needsEscape) < 0)
        {
            AppendUtf8(text, 0, text.Length);
            return;
        }
#endif
        var start = 0;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (c >= 0x20 && c != '"' && c != '\\') continue;
            AppendUtf8(text, start, i - start);
            switch (c)
            {
                case '"': Append("\\\""); break;
                case '\\': Append("\\\\"); break;
                case '\n': Append("\\n"); break;
                case '\r': Append("\\r"); break;
                case '\t': Append("\\t"); break;
                default:
                    Append("\\u00");
                    Append(s_hex[c >> 4]);
                    Append(s_hex[c & 0xF]);
                    break;
            }
            start = i + 1;
        }
        AppendUtf8(text, start, text.Length - start);
    }

    // Lone surrogates become U+FFFD (the encoder's replacement), so the output is always valid UTF-8.
    void AppendUtf8(string text, int start, int count)
    {
        if (count == 0) return;
        var max = Encoding.UTF8.GetMaxByteCount(count);
        if (Length + max > Array.Length) Grow(max);
#if NET
        Length += Encoding.UTF8.GetBytes(text.AsSpan(start, count), Array.AsSpan(Length));
#else
        Length += Encoding.UTF8.GetBytes(text, start, count, Array, Length);
#endif
    }

    void Grow(int needed)
    {
        var size = Math.Max(Array.Length * 2, Length + needed);
        var bigger = new byte[size];
        Buffer.BlockCopy(Array, 0, bigger, 0, Length);
        Array = bigger;
    }
}
