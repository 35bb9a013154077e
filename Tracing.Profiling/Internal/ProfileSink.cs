using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Reflection;
using System.Threading;

namespace Tracing.Profiling.Internal;

/// <summary>
/// The sink of an <see cref="EventProfile"/> or an <see cref="EventProfileSet"/>: on the firing
/// thread, decides whether this firing is recorded, keeps the value argument, captures the stack
/// and adds it to the thread's own table for the event.
/// </summary>
/// <remarks>
/// <para>
/// Cost model, per firing, on the firing thread, with no lock and no shared write once the event
/// and the thread were seen:
/// <list type="bullet">
/// <item>not recorded (<c>SampleEvery</c> &gt; 1): the adapter's call of <see cref="BeginEvent"/>,
/// one <see cref="ThreadLocal{T}"/> read, one array read and one decrement; the arguments are skipped;</item>
/// <item>recorded: the same, one writer call per argument, then <c>new StackTrace(false)</c> (the
/// floor: the runtime's stack walk, which resolves each frame's method) and one lookup of the
/// frames' (method, IL offset) pairs in the thread's hash table for the event; nothing is
/// allocated once the stack was seen on this thread. Names, files and lines are resolved when
/// the profile is written.</item>
/// </list>
/// </para>
/// <para>
/// Threads. A thread's first firing gives it a recorder: the recorder of a thread that has exited,
/// if there is one (its tables are part of the profile, and the new thread adds to them: stacks
/// are merged across threads when the profile is written anyway), else a new one. So a process
/// that runs many short-lived threads keeps as many recorders as it had threads alive at once,
/// not one per thread it ever ran. A recorder is taken over only once its thread has exited
/// (<see cref="Thread.IsAlive"/> false), so it never has two writers: the exited thread's last
/// write to it came before its exit, and the runtime marks a thread dead (what IsAlive reads) in
/// its exit, after the thread's last managed code (the runtime's dispatch states are reused on the
/// same reasoning). The takeover and the list are under <c>_gate</c>. <see cref="Collect"/> runs
/// once the sink is detached and <see cref="Trace.Synchronize"/> returned, so no recorder is being
/// written then.
/// </para>
/// </remarks>
sealed class ProfileSink : TraceEventSink
{
    readonly object _gate = new();
    readonly ThreadLocal<ThreadRecorder> _threads;
    readonly List<ThreadRecorder> _recorders = new(); // every recorder made, under _gate
    readonly EventProfileOptions _options;
    EventSlot?[] _events = new EventSlot?[16]; // by TraceEventInfo.Id; replaced (not changed in place) under _gate

    public ProfileSink(EventProfileOptions options)
    {
        _options = options;
        SampleEvery = options.SampleEvery;
        _threads = new ThreadLocal<ThreadRecorder>(RecorderForThisThread);
    }

    /// <summary>Recorders made so far: at most the threads that fired while alive at once.</summary>
    internal int Recorders
    {
        get
        {
            lock (_gate) return _recorders.Count;
        }
    }

    ThreadRecorder RecorderForThisThread()
    {
        var thread = Thread.CurrentThread;
        lock (_gate)
        {
            foreach (var recorder in _recorders)
            {
                if (recorder.Owner.IsAlive) continue;
                recorder.Owner = thread;
                return recorder;
            }
            var made = new ThreadRecorder(this, _recorders.Count + 1, thread);
            _recorders.Add(made);
            return made;
        }
    }

    public int SampleEvery { get; }

    /// <summary>The slot of <paramref name="traceEvent"/>, made on its first use; <paramref name="strict"/>: a Value that does not fit throws.</summary>
    public EventSlot Slot(TraceEventInfo traceEvent, bool strict = false)
    {
        var events = Volatile.Read(ref _events);
        if (traceEvent.Id < events.Length && events[traceEvent.Id] is { } slot) return slot;
        lock (_gate)
        {
            events = _events;
            if (traceEvent.Id < events.Length && events[traceEvent.Id] is { } made) return made;
            slot = new EventSlot(traceEvent, _options, strict);
            var grown = new EventSlot?[Math.Max(events.Length, traceEvent.Id * 2)];
            Array.Copy(events, grown, events.Length);
            grown[traceEvent.Id] = slot;
            Volatile.Write(ref _events, grown); // a reader sees the slot's fields before the array
            return slot;
        }
    }

    /// <summary>The events that have a slot: those attached by name and those that fired.</summary>
    public List<EventSlot> Slots()
    {
        var slots = new List<EventSlot>();
        foreach (var slot in Volatile.Read(ref _events))
        {
            if (slot is not null) slots.Add(slot);
        }
        return slots;
    }

    readonly List<string> _attachFailures = new();

    protected override void OnAttachFailed(TraceEventInfo traceEvent, Exception error)
    {
        lock (_gate) _attachFailures.Add($"{traceEvent}: {error.Message}");
    }

    public List<string> AttachFailures()
    {
        lock (_gate) return new List<string>(_attachFailures);
    }

    protected override TraceValueWriter? BeginEvent(TraceEventInfo traceEvent)
    {
        var thread = _threads.Value!;
        if (--thread.Countdown > 0) return null;
        thread.Countdown = thread.NextGap();
        thread.Begin(Slot(traceEvent));
        return thread;
    }

    protected override void EndEvent(TraceEventInfo traceEvent, TraceValueWriter writer) =>
        ((ThreadRecorder)writer).Record(new StackTrace(false));

    /// <summary>
    /// Every thread's tables, by event id. Call only once the sink is detached and
    /// <see cref="Trace.Synchronize"/> returned: then no thread writes to them any more. Disposes
    /// the per-thread slots.
    /// </summary>
    public Dictionary<int, List<StackTable>> Collect()
    {
        var tables = new Dictionary<int, List<StackTable>>();
        List<ThreadRecorder> recorders;
        lock (_gate) recorders = new List<ThreadRecorder>(_recorders);
        foreach (var thread in recorders)
        {
            foreach (var (id, table) in thread.Tables())
            {
                if (!tables.TryGetValue(id, out var list)) tables.Add(id, list = new List<StackTable>());
                list.Add(table);
            }
        }
        _threads.Dispose();
        return tables;
    }
}

/// <summary>What the sink knows of one event: where its value is and the frame of its dispatch.</summary>
sealed class EventSlot
{
    public EventSlot(TraceEventInfo traceEvent, EventProfileOptions options, bool strict)
    {
        Event = traceEvent;
        EventMethod = FindEventMethod(traceEvent);
        ValueIndex = -1;
        if (options.Value is null) return;
        var (index, problem) = ValueParameter(traceEvent, options.Value);
        if (problem is not null)
        {
            if (strict) throw new ArgumentException(problem, nameof(options));
            Problem = problem + " Its profile counts firings only.";
            return;
        }
        ValueIndex = index;
        ValueName = options.Value;
        ValueUnit = options.ValueUnit ?? DefaultUnit(traceEvent.Parameters[index]);
    }

    public TraceEventInfo Event { get; }

    // The event's own method (the woven dispatch): its frame is removed from each stack.
    public MethodBase? EventMethod { get; }

    public int ValueIndex { get; }
    public string? ValueName { get; }
    public string? ValueUnit { get; }

    /// <summary>Why the event's profile has no value although one was asked for.</summary>
    public string? Problem { get; }

    static MethodBase? FindEventMethod(TraceEventInfo traceEvent)
    {
        var types = new Type[traceEvent.Parameters.Count];
        for (var i = 0; i < types.Length; i++) types[i] = traceEvent.Parameters[i].Type;
        return traceEvent.DeclaringType.GetMethod(traceEvent.Name,
            BindingFlags.Static | BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.DeclaredOnly, null, types, null);
    }

    static (int Index, string? Problem) ValueParameter(TraceEventInfo traceEvent, string name)
    {
        var numeric = new List<string>();
        for (var i = 0; i < traceEvent.Parameters.Count; i++)
        {
            var parameter = traceEvent.Parameters[i];
            if (IsNumeric(parameter.Type)) numeric.Add(parameter.Name);
            if (parameter.Name != name) continue;
            return IsNumeric(parameter.Type)
                ? (i, null)
                : (-1, $"EventProfileOptions.Value: parameter {parameter} of {traceEvent.Signature} is not numeric; " +
                       "a profile sums integers, float, double, decimal or TimeSpan.");
        }
        return (-1, $"EventProfileOptions.Value: {traceEvent.Signature} has no parameter \"{name}\"" +
                    (numeric.Count == 0 ? ", and no numeric parameter to sum." : $"; its numeric parameters: {string.Join(", ", numeric)}."));
    }

    static bool IsNumeric(Type type)
    {
        type = Nullable.GetUnderlyingType(type) ?? type;
        if (type.IsEnum) return false;
        return type == typeof(TimeSpan) || type == typeof(IntPtr) || type == typeof(UIntPtr) || Type.GetTypeCode(type) switch
        {
            TypeCode.SByte or TypeCode.Byte or TypeCode.Int16 or TypeCode.UInt16 or TypeCode.Int32 or TypeCode.UInt32 or
                TypeCode.Int64 or TypeCode.UInt64 or TypeCode.Single or TypeCode.Double or TypeCode.Decimal => true,
            _ => false,
        };
    }

    static string DefaultUnit(TraceEventParameter parameter)
    {
        var type = Nullable.GetUnderlyingType(parameter.Type) ?? parameter.Type;
        if (type == typeof(TimeSpan)) return "nanoseconds";
        return parameter.Name.EndsWith("bytes", StringComparison.OrdinalIgnoreCase) ? "bytes" : "count";
    }
}
