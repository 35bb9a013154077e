using System;
using Tracing;

namespace Torture;

/// <summary>
/// The probes a run attaches: two recording probes per event (tags 1 and 2, so the transcript
/// shows attach order), and for a few events probes that do more: one fires another event, one
/// attaches and detaches a probe, one throws.
/// </summary>
/// <remarks>
/// These <c>Trace.Attach</c> calls are compiled into direct calls of the generated attach methods
/// in the woven build, and resolved by the runtime in the reference build.
/// </remarks>
public static class Probes
{
    static ProbeGroup? s_group;
    static Probe? s_late;

    /// <summary>Attaches the standard probes to every event. Under the trace lock.</summary>
    public static void AttachAll(ProbeGroup pg)
    {
        s_group = pg;
        Attach(pg, "1");
        Attach(pg, "2");
        Widget.AttachProbes(pg, "1");
    }

    /// <summary>Forgets the probe the attacher probe may have left attached (the group detaches it).</summary>
    public static void Reset()
    {
        s_group = null;
        s_late = null;
    }

    static void Attach(ProbeGroup pg, string tag)
    {
        Trace.Attach(pg, Events.Trace0, () => Log.Event(tag, "Trace0"));
        Trace.Attach(pg, Events.Trace1, v => Log.Event(tag, "Trace1", v));
        Trace.Attach(pg, Events.TraceText, t => Log.Event(tag, "TraceText", t));
        Trace.Attach(pg, Events.TracePair, (n, v) => Log.Event(tag, "TracePair", n, v));
        Trace.Attach(pg, Events.Trace8, (a, b, c, d, e, f, g, h) => Log.Event(tag, "Trace8", a, b, c, d, e, f, g, h));
        Trace.Attach(pg, Events.Trace16, (a1, a2, a3, a4, a5, a6, a7, a8, a9, a10, a11, a12, a13, a14, a15, a16) =>
            Log.Event(tag, "Trace16", a1, a2, a3, a4, a5, a6, a7, a8, a9, a10, a11, a12, a13, a14, a15, a16.ToInt64()));
        Trace.Attach(pg, Events.TracePoint, p => Log.Event(tag, "TracePoint", p));
        Trace.Attach(pg, Events.TraceBig, b => Log.Event(tag, "TraceBig", b));
        Trace.Attach(pg, Events.TraceColor, c => Log.Event(tag, "TraceColor", c));
        Trace.Attach(pg, Events.TraceNullable, v => Log.Event(tag, "TraceNullable", v));
        Trace.Attach(pg, Events.TraceNullablePoint, p => Log.Event(tag, "TraceNullablePoint", p));
        Trace.Attach(pg, Events.TraceList, l => Log.Event(tag, "TraceList", l));
        Trace.Attach(pg, Events.TraceKeyValue, kv => Log.Event(tag, "TraceKeyValue", kv.Key, kv.Value));
        Trace.Attach(pg, Events.TraceTuple, t => Log.Event(tag, "TraceTuple", t.Number, t.Name));
        Trace.Attach(pg, Events.TraceObject, o => Log.Event(tag, "TraceObject", o));
        Trace.Attach(pg, Events.TraceFunc, f => Log.Event(tag, "TraceFunc", f()));
        // Events with params or default values: C# gives their method groups an anonymous delegate
        // type, so Trace.Attach needs the probe type spelled out.
        Trace.Attach<Action<int[]>>(pg, Events.TraceParams, v => Log.Event(tag, "TraceParams", v));
        Trace.Attach<Action<int, string, Color>>(pg, Events.TraceDefaults, (a, b, c) => Log.Event(tag, "TraceDefaults", a, b, c));
        Trace.Attach(pg, Events.TraceFiresAnother, v =>
        {
            Log.Event(tag, "TraceFiresAnother", v);
            if (tag == "1") Events.Trace1(A.I(v * 10)); // an event fired from a probe (a woven call site too)
        });
        Trace.Attach(pg, Events.TraceAttacher, v =>
        {
            Log.Event(tag, "TraceAttacher", v);
            if (tag == "1") ToggleLateProbe();
        });
        Trace.Attach(pg, Events.TraceThrows, v =>
        {
            Log.Event(tag, "TraceThrows", v);
            throw new ProbeFailure("probe " + tag + " threw at " + v);
        });
#if NET9_0_OR_GREATER
        Trace.Attach(pg, Events.TraceSpan, s => Log.Event(tag, "TraceSpan", s.ToString()));
        Trace.Attach(pg, Events.TraceSpanInts, s => Log.Event(tag, "TraceSpanInts", s.ToArray()));
        Trace.Attach(pg, Events.TraceSlice, s => Log.Event(tag, "TraceSlice", s.ToString()));
        Trace.Attach<Action<ReadOnlySpan<int>>>(pg, Events.TraceParamsSpan, s => Log.Event(tag, "TraceParamsSpan", s.ToArray()));
#endif
    }

    // A probe that attaches and detaches another probe, from inside a dispatch.
    static void ToggleLateProbe()
    {
        Trace.Lock();
        try
        {
            if (s_late is null)
            {
                s_late = Trace.Attach(s_group, Events.TraceLate, t => Log.Event("late", "TraceLate", t));
                Log.Add("fx:late probe attached");
            }
            else
            {
                s_late.Detach();
                s_late = null;
                Log.Add("fx:late probe detached");
            }
        }
        finally
        {
            Trace.Unlock();
        }
    }
}
