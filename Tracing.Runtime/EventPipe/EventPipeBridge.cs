#if NET
using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;

namespace Tracing.Internal;

/// <summary>
/// Attaches <see cref="EventPipeSink"/> to the events the EventPipe sessions want, and detaches it
/// when none wants any.
/// </summary>
/// <remarks>
/// <para>
/// The sessions' commands (<see cref="TracingEventSource.OnEventCommand"/>) only change the wanted
/// state here, under <c>s_gate</c>, and queue <see cref="Apply"/> on the thread pool, which
/// attaches or detaches to match it: a command can arrive inside a module initializer, where the
/// trace lock must not be waited for, and on the runtime's own threads, which should not wait for
/// <see cref="Trace.Synchronize"/>. Applies run one at a time (<c>s_applyGate</c>), and each one
/// brings the probes to the latest wanted state, so commands may be merged but none is lost.
/// </para>
/// <para>
/// EventPipe tells an EventSource when a session starts (Enable, with that session's arguments)
/// and when one ends (Disable), but not which one ended. So while sessions overlap, the bridge
/// keeps the union of the events they asked for, and detaches everything when no remaining
/// session enables keyword 0x1 at level 5. A session whose client disconnects (killed) is ended by
/// the runtime like any other.
/// </para>
/// </remarks>
static class EventPipeBridge
{
    static readonly object s_gate = new();
    static readonly object s_applyGate = new();

    // The wanted state, guarded by s_gate.
    static bool s_wanted;
    static bool s_all;
    static readonly List<string> s_globs = new();
    static int s_version;

    // What is attached, guarded by s_applyGate.
    static int s_appliedVersion;
    static ProbeGroup? s_group;
    static EventPipeSink? s_sink;
    static TracingEventSource? s_source;

    /// <summary>Whether the sink is attached now (for tests, in process).</summary>
    internal static bool IsAttached
    {
        get
        {
            lock (s_applyGate) return s_group is not null;
        }
    }

    /// <summary>A session that wants trace events started; <paramref name="globs"/> is its <c>events=</c> argument, or null for all.</summary>
    public static void SessionStarted(TracingEventSource source, string? globs)
    {
        var list = globs?.Split(new[] { ' ', '|', '\t' }, StringSplitOptions.RemoveEmptyEntries);
        if (list is { Length: 0 }) list = null;
        if (list is not null && !TraceEventFilter.TryParse(list, out _, out var error))
        {
            source.Error($"Tracing: the session's events=\"{globs}\" is ignored: {error}");
            return;
        }
        lock (s_gate)
        {
            s_wanted = true;
            if (list is null) s_all = true;
            else foreach (var glob in list) if (!s_globs.Contains(glob)) s_globs.Add(glob);
            s_version++;
        }
        Schedule(source);
    }

    /// <summary>A session started or ended; <paramref name="wanted"/>: some session still enables the events.</summary>
    public static void SessionsChanged(TracingEventSource source, bool wanted)
    {
        lock (s_gate)
        {
            if (wanted || !s_wanted) return;
            s_wanted = false;
            s_all = false;
            s_globs.Clear();
            s_version++;
        }
        Schedule(source);
    }

    static void Schedule(TracingEventSource source)
    {
        ThreadPool.UnsafeQueueUserWorkItem(static s => Apply(s), source, preferLocal: false);
    }

    static void Apply(TracingEventSource source)
    {
        lock (s_applyGate)
        {
            s_source = source;
            bool wanted;
            TraceEventFilter? filter = null;
            List<string> globs;
            lock (s_gate)
            {
                if (s_version == s_appliedVersion) return;
                s_appliedVersion = s_version;
                wanted = s_wanted;
                globs = s_all ? new List<string>() : new List<string>(s_globs);
            }
            try
            {
                Detach();
                if (!wanted) return;
                if (!EventPipeNative.TryInitialize(out var error))
                {
                    source.Error(error!);
                    return;
                }
                filter = TraceEventFilter.Parse(globs); // each glob was checked when its session started
                // Before attaching: once the probes are on, an assembly that starts may match a
                // glob, and "matches nothing running now" would depend on which came first.
                ReportUnmatched(source, globs);
                var sink = s_sink ??= new EventPipeSink(source);
                sink.Reattaching();
                var group = new ProbeGroup();
                Trace.Setup(() => Trace.AttachSink(group, filter, sink));
                s_group = group;
            }
            catch (Exception e)
            {
                // Nothing may be thrown on a thread-pool thread: it would end the process.
                source.Error("Tracing: the EventPipe bridge failed to attach: " + e.Message);
            }
        }
    }

    // Under s_applyGate.
    static void Detach()
    {
        if (s_group is null) return;
        s_group.Done();
        Trace.Synchronize(); // no firing is still writing through the sink's buffers
        s_group = null;
    }

    // A glob that matches no event running now is reported (it may match an assembly that starts later).
    static void ReportUnmatched(TracingEventSource source, List<string> globs)
    {
        if (globs.Count == 0) return;
        var loaded = Trace.LoadedEvents();
        foreach (var glob in globs)
        {
            var one = TraceEventFilter.Parse(new[] { glob });
            if (!loaded.Any(one.Matches))
                source.Error($"Tracing: events=\"{glob}\" matches no trace event of the assemblies running now; " +
                             "it will match those of assemblies that start later.");
        }
    }
}
#endif
