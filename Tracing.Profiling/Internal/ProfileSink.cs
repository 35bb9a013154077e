using System.Collections.Generic;
using System.Diagnostics;
using System.Reflection;
using System.Threading;

namespace Tracing.Profiling.Internal;

/// <summary>
/// The sink of one <see cref="EventProfile"/>: on the firing thread, decides whether this firing is
/// sampled, keeps the value argument, captures the stack and adds it to the thread's own table.
/// </summary>
/// <remarks>
/// Cost model, per firing, on the firing thread, with no lock and no shared write:
/// <list type="bullet">
/// <item>not sampled (<c>SampleEvery</c> &gt; 1): the adapter's call of <see cref="BeginEvent"/>,
/// one <see cref="ThreadLocal{T}"/> read and one decrement; the arguments are skipped;</item>
/// <item>sampled: the same, one writer call per argument, then <c>new StackTrace(false)</c> (the
/// floor: the runtime's stack walk, which resolves each frame's method) and one lookup of the
/// frames' (method, IL offset) pairs in the thread's hash table; nothing is allocated once the
/// stack was seen on this thread. Names, files and lines are resolved when the profile is written.</item>
/// </list>
/// </remarks>
sealed class ProfileSink : TraceEventSink
{
    readonly ThreadLocal<ThreadRecorder> _threads;
    int _threadCount;

    public ProfileSink(TraceEventInfo traceEvent, int valueIndex, int sampleEvery)
    {
        Event = traceEvent;
        ValueIndex = valueIndex;
        SampleEvery = sampleEvery;
        EventMethod = FindEventMethod(traceEvent);
        _threads = new ThreadLocal<ThreadRecorder>(() => new ThreadRecorder(this, Interlocked.Increment(ref _threadCount)), trackAllValues: true);
    }

    public TraceEventInfo Event { get; }

    public int ValueIndex { get; }

    public int SampleEvery { get; }

    // The event's own method (the woven dispatch): its frame is removed from each stack.
    public MethodBase? EventMethod { get; }

    protected override TraceValueWriter? BeginEvent(TraceEventInfo traceEvent)
    {
        var thread = _threads.Value!;
        if (--thread.Countdown > 0) return null;
        thread.Countdown = thread.NextGap();
        thread.Value = 0;
        return thread;
    }

    protected override void EndEvent(TraceEventInfo traceEvent, TraceValueWriter writer) =>
        ((ThreadRecorder)writer).Record(new StackTrace(false));

    /// <summary>
    /// Every thread's table. Call only once the sink is detached and <see cref="Trace.Synchronize"/>
    /// returned: then no thread writes to them any more. Disposes the per-thread slots.
    /// </summary>
    public IReadOnlyList<StackTable> Collect()
    {
        var tables = new List<StackTable>();
        foreach (var thread in _threads.Values) tables.Add(thread.Table);
        _threads.Dispose();
        return tables;
    }

    static MethodBase? FindEventMethod(TraceEventInfo traceEvent)
    {
        var types = new System.Type[traceEvent.Parameters.Count];
        for (var i = 0; i < types.Length; i++) types[i] = traceEvent.Parameters[i].Type;
        return traceEvent.DeclaringType.GetMethod(traceEvent.Name,
            BindingFlags.Static | BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.DeclaredOnly, null, types, null);
    }
}
