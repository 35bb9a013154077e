using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Reflection;
using System.Threading;

namespace Tracing.Profiling.Internal;

/// <summary>
/// One thread's part of a profile: its sampling countdown, the value argument of the firing being
/// recorded, and its table of stacks for each event. Only its thread touches it while the profile
/// runs (a thread that starts after it exited may take it over: <see cref="ProfileSink"/>), so
/// nothing here is locked or interlocked.
/// </summary>
sealed class ThreadRecorder : TraceValueWriter
{
    static readonly Module s_profilingModule = typeof(ThreadRecorder).Module;
    static readonly Module s_runtimeModule = typeof(TraceEventSink).Module;

    readonly long _weight;
    readonly double _logMiss; // ln(1 - 1/SampleEvery): geometric gaps
    ulong _random;

    public ThreadRecorder(ProfileSink sink, int ordinal, Thread owner)
    {
        Owner = owner;
        _weight = sink.SampleEvery;
        _logMiss = sink.SampleEvery > 1 ? Math.Log(1 - 1.0 / sink.SampleEvery) : 0;
        // A fixed seed per thread (in order of first firing): a run's sampling is reproducible.
        _random = 0x9E3779B97F4A7C15UL * (ulong)ordinal ^ 0xD1B54A32D192ED03UL;
        Countdown = NextGap();
    }

    /// <summary>The thread that records with it; replaced (under the sink's lock) only once it has exited.</summary>
    public Thread Owner;

    StackTable?[] _tables = new StackTable?[4]; // by event id
    EventSlot? _slot; // the event of the firing being recorded
    int _valueIndex = -1;

    // Firings until the next recorded one (1: this one).
    public long Countdown;

    // The value argument of the firing being recorded (0 when the profile has no value).
    public long Value;

    /// <summary>The gap to the next recorded firing: 1 without sampling, else geometric with mean SampleEvery.</summary>
    public long NextGap()
    {
        if (_weight == 1) return 1;
        // xorshift64*: a fast generator; a uniform in (0, 1] from its top 53 bits.
        _random ^= _random >> 12;
        _random ^= _random << 25;
        _random ^= _random >> 27;
        var u = ((_random * 2685821657736338717UL >> 11) + 1) * (1.0 / (1UL << 53));
        return 1 + (long)(Math.Log(u) / _logMiss);
    }

    /// <summary>Starts recording a firing of <paramref name="slot"/>'s event: its arguments come next.</summary>
    public void Begin(EventSlot slot)
    {
        _slot = slot;
        _valueIndex = slot.ValueIndex;
        Value = 0;
    }

    /// <summary>The tables of the events this thread recorded, by event id.</summary>
    public IEnumerable<(int Id, StackTable Table)> Tables()
    {
        for (var id = 0; id < _tables.Length; id++)
        {
            if (_tables[id] is { } table) yield return (id, table);
        }
    }

    /// <summary>Adds the stack of the code that fired the event, without the frames of the probe and the dispatch.</summary>
    public void Record(StackTrace trace)
    {
        var count = trace.FrameCount;
        var first = 0;
        while (first < count)
        {
            var method = trace.GetFrame(first)?.GetMethod();
            if (method is null) break;
            var module = method.Module;
            if (module == s_profilingModule || module == s_runtimeModule)
            {
                first++; // this sink, the adapter (EventTap.Fire), the value rules
                continue;
            }
            if (method.Equals(_slot!.EventMethod)) first++; // the woven dispatch (unless the JIT inlined it)
            break;
        }
        TableOf(_slot!.Event.Id).Add(trace, first, _weight, Value * _weight);
    }

    StackTable TableOf(int id)
    {
        if (id >= _tables.Length) Array.Resize(ref _tables, Math.Max(id + 1, _tables.Length * 2));
        return _tables[id] ??= new StackTable();
    }

    public override void WriteInt64(int index, long value)
    {
        if (index == _valueIndex) Value = value;
    }

    public override void WriteUInt64(int index, ulong value)
    {
        if (index == _valueIndex) Value = value > long.MaxValue ? long.MaxValue : (long)value;
    }

    public override void WriteDouble(int index, double value)
    {
        if (index == _valueIndex) Value = ToInt64(value);
    }

    public override void WriteDecimal(int index, decimal value)
    {
        if (index == _valueIndex) Value = ToInt64((double)value);
    }

    public override void WriteTimeSpan(int index, TimeSpan value)
    {
        if (index != _valueIndex) return;
        const long limit = long.MaxValue / 100; // nanoseconds: about 29,000 years, beyond which it saturates
        Value = value.Ticks > limit ? long.MaxValue : value.Ticks < -limit ? long.MinValue : value.Ticks * 100;
    }

    public override void WriteNull(int index)
    {
        if (index == _valueIndex) Value = 0;
    }

    // Not numeric: never the value parameter (EventProfile.Start checks its type).
    public override void WriteBoolean(int index, bool value) { }
    public override void WriteChar(int index, char value) { }
    public override void WriteString(int index, string value) { }
    public override void WriteDateTime(int index, DateTime value) { }
    public override void WriteGuid(int index, Guid value) { }

    static long ToInt64(double value) =>
        double.IsNaN(value) ? 0 : value >= long.MaxValue ? long.MaxValue : value <= long.MinValue ? long.MinValue : (long)Math.Round(value);
}
