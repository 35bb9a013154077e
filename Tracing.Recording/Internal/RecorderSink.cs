using System;
using System.Collections.Generic;
using System.Runtime.CompilerServices;
using System.Threading;

namespace Tracing.Recording.Internal;

/// <summary>
/// The sink a <see cref="TraceRecorder"/> attaches: finds the calling thread's buffer and lets it
/// take the record. Everything here runs on the firing thread.
/// </summary>
/// <remarks>
/// Per-thread buffers are found through one thread-static array indexed by the recorder's
/// small slot number (recorders are few; a slot is reused after its recorder stops, so a buffer
/// found there is checked to be this recorder's). A thread's first event for a recorder allocates
/// its buffer and registers it with the recorder under a lock; every later event is lock-free and
/// allocation-free.
/// </remarks>
sealed class RecorderSink : TraceEventSink
{
    static readonly object s_slotsGate = new();
    static readonly List<int> s_freeSlots = new();
    static int s_nextSlot;

    [ThreadStatic] static ThreadBuffer?[]? t_buffers;

    readonly int _slot;
    readonly int _capacity;
    readonly object _gate = new();
    ThreadBuffer[] _threads = Array.Empty<ThreadBuffer>(); // copy-on-write, read by the writer

    internal RecorderSink(int capacity)
    {
        _capacity = capacity;
        lock (s_slotsGate)
        {
            if (s_freeSlots.Count > 0)
            {
                _slot = s_freeSlots[s_freeSlots.Count - 1];
                s_freeSlots.RemoveAt(s_freeSlots.Count - 1);
            }
            else
            {
                _slot = s_nextSlot++;
            }
        }
    }

    /// <summary>Every thread that recorded an event, in the order they started.</summary>
    internal ThreadBuffer[] Threads => Volatile.Read(ref _threads);

    protected override TraceValueWriter? BeginEvent(TraceEventInfo traceEvent)
    {
        var buffers = t_buffers;
        ThreadBuffer? buffer;
        if (buffers is null || (uint)_slot >= (uint)buffers.Length || (buffer = buffers[_slot]) is null || buffer.Owner != this)
            buffer = NewThread();
        return buffer.Begin(traceEvent);
    }

    protected override void EndEvent(TraceEventInfo traceEvent, TraceValueWriter writer) =>
        ((ThreadBuffer)writer).End();

    // OnAttachFailed: the recorder cannot throw into an assembly's initializer; it notes the event.
    protected override void OnAttachFailed(TraceEventInfo traceEvent, Exception error)
    {
        lock (_gate) AttachFailures.Add($"{traceEvent}: {error.Message}");
    }

    internal List<string> AttachFailures { get; } = new();

    [MethodImpl(MethodImplOptions.NoInlining)]
    ThreadBuffer NewThread()
    {
        var buffer = new ThreadBuffer(this, _capacity);
        var buffers = t_buffers;
        if (buffers is null || buffers.Length <= _slot)
        {
            var bigger = new ThreadBuffer?[Math.Max(_slot + 1, 4)];
            if (buffers is not null) Array.Copy(buffers, bigger, buffers.Length);
            t_buffers = buffers = bigger;
        }
        buffers[_slot] = buffer;
        lock (_gate)
        {
            var threads = new ThreadBuffer[_threads.Length + 1];
            Array.Copy(_threads, threads, _threads.Length);
            threads[threads.Length - 1] = buffer;
            Volatile.Write(ref _threads, threads); // the writer sees the buffer complete
        }
        return buffer;
    }

    /// <summary>After the recorder detached and synchronized: frees the slot number for another recorder.</summary>
    internal void ReleaseSlot()
    {
        lock (s_slotsGate) s_freeSlots.Add(_slot);
    }
}
