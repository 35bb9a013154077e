using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;

namespace Tracing.Profiling.Internal;

/// <summary>
/// What <see cref="EventProfile"/> and <see cref="EventProfileSet"/> share: the sink, its probe
/// group, the clock, and stopping (detach, then wait) before anything is written.
/// </summary>
sealed class Recording
{
    readonly object _gate = new();
    readonly DateTime _startTime;
    readonly long _startTimestamp;
    long _stopTimestamp;
    Dictionary<int, List<StackTable>>? _tables; // set by Stop

    public Recording(EventProfileOptions options)
    {
        if (options.SampleEvery < 1)
            throw new ArgumentOutOfRangeException(nameof(options), options.SampleEvery, "EventProfileOptions.SampleEvery must be 1 (every firing) or more.");
        if (options.ValueUnit is { Length: 0 })
            throw new ArgumentException("EventProfileOptions.ValueUnit is empty: give a unit such as bytes or count, or null for the default.", nameof(options));
        // A copy: changing the caller's options later changes nothing here.
        Sink = new ProfileSink(new EventProfileOptions { Value = options.Value, ValueUnit = options.ValueUnit, SampleEvery = options.SampleEvery });
        _startTime = DateTime.UtcNow;
        _startTimestamp = Stopwatch.GetTimestamp();
    }

    public ProbeGroup Group { get; } = new();

    public ProfileSink Sink { get; }

    public bool Stopped
    {
        get
        {
            lock (_gate) return _tables is not null;
        }
    }

    public void Stop()
    {
        lock (_gate)
        {
            if (_tables is not null) return;
            Group.Done();
            Trace.Synchronize(); // after this no thread is in the sink: the tables are final
            _stopTimestamp = Stopwatch.GetTimestamp();
            _tables = Sink.Collect();
        }
    }

    /// <summary>Stops, then writes the profile of one event.</summary>
    public void Write(EventSlot slot, Stream stream)
    {
        Stop();
        var duration = (long)((_stopTimestamp - _startTimestamp) * (1e9 / Stopwatch.Frequency));
        var unixNanos = (_startTime - new DateTime(1970, 1, 1, 0, 0, 0, DateTimeKind.Utc)).Ticks * 100;
        IReadOnlyList<StackTable> tables = _tables!.TryGetValue(slot.Event.Id, out var list) ? list : Array.Empty<StackTable>();
        PprofWriter.Write(new ProfileData(slot.Event, tables, slot.ValueName, slot.ValueUnit, Sink.SampleEvery, unixNanos, duration), stream);
    }
}
