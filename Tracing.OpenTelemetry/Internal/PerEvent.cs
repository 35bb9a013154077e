using System;
using System.Threading;

namespace Tracing.OpenTelemetry.Internal;

/// <summary>
/// A sink's state for each event it met, indexed by <see cref="TraceEventInfo.Id"/>: made on an
/// event's first firing, read without a lock afterwards.
/// </summary>
internal sealed class PerEvent<T> where T : class
{
    readonly Func<TraceEventInfo, T> _create;
    readonly object _gate = new();
    T?[] _items = new T?[64];

    public PerEvent(Func<TraceEventInfo, T> create) => _create = create;

    /// <summary>The state of <paramref name="traceEvent"/>: an array load after its first firing.</summary>
    public T Get(TraceEventInfo traceEvent)
    {
        var items = Volatile.Read(ref _items);
        var id = traceEvent.Id;
        return (uint)id < (uint)items.Length && Volatile.Read(ref items[id]) is { } found ? found : Add(traceEvent);
    }

    // First firing of an event: made under our own lock, so each event's state is made once;
    // published with release writes (a grown array is complete before it replaces the old one).
    T Add(TraceEventInfo traceEvent)
    {
        lock (_gate)
        {
            var items = _items;
            var id = traceEvent.Id;
            if (id < items.Length && items[id] is { } found) return found;
            if (id >= items.Length)
            {
                var grown = new T?[Math.Max(items.Length * 2, id + 1)];
                Array.Copy(items, grown, items.Length);
                Volatile.Write(ref _items, grown);
                items = grown;
            }
            var state = _create(traceEvent);
            Volatile.Write(ref items[id], state);
            return state;
        }
    }
}
