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
/// A thread's buffer is found in one thread-static field, the buffer it used last (with one
/// recorder, the only one), checked to be this recorder's; else through a thread-static array
/// indexed by the recorder's small slot number (recorders are few; a slot is reused after its
/// recorder stops, so a buffer found there is checked to be this recorder's). A thread's first event for a recorder allocates
/// its buffer and registers it with the recorder under a lock; every later event is lock-free and
/// allocation-free.
/// </remarks>
sealed class RecorderSink : TraceEventSink
{
    static readonly object s_slotsGate = new();
    static readonly List<int> s_freeSlots = new();
    static int s_nextSlot;

    [ThreadStatic] static ThreadBuffer?[]? t_buffers;
    [ThreadStatic] static ThreadBuffer? t_last;

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
        var buffer = t_last; // the buffer this thread used last: with one recorder, always its own
        if (buffer is null || buffer.Owner != this) buffer = Find();
        return buffer.Begin(traceEvent);
    }

    ThreadBuffer Find()
    {
        var buffers = t_buffers;
        ThreadBuffer? buffer;
        if (buffers is null || (uint)_slot >= (uint)buffers.Length || (buffer = buffers[_slot]) is null || buffer.Owner != this)
            buffer = NewThread();
        t_last = buffer;
        return buffer;
    }

    protected override void EndEvent(TraceEventInfo traceEvent, TraceValueWriter writer) =>
        ((ThreadBuffer)writer).End();

    // OnAttachFailed: the recorder cannot throw into an assembly's initializer; it notes the event.
    protected override void OnAttachFailed(TraceEventInfo traceEvent, Exception error)
    {
        lock (_gate) AttachFailures.Add($"{traceEvent}: {error.Message}");
    }

    internal List<string> AttachFailures { get; } = new();

    /// <summary>Set by the recorder before attaching: wakes its writer (a thread's buffer is half full).</summary>
    internal EventWaitHandle? Wake { get; set; }

    /// <summary>From a firing thread whose buffer is half full, once per half buffer: the writer should drain now.</summary>
    internal void WakeWriter()
    {
        try
        {
            Wake?.Set();
        }
        catch (ObjectDisposedException)
        {
            // The recorder stopped; nothing drains this buffer any more.
        }
    }

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
