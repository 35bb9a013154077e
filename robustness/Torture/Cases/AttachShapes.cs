using System;
using Tracing;

namespace Torture;

/// <summary>
/// <c>Trace.Attach</c> whose event is chosen at run time (<c>?:</c>, <c>??</c>): the weaver
/// cannot compile it into one event's attach method and must leave it to the runtime, which
/// attaches to the event chosen. (A name chosen by <c>?:</c> needs the event metadata the weaver
/// records, which the reference build has not: <c>AttachShapeTests</c> covers it.) Each case attaches a probe of its own, fires
/// both events, and detaches it.
/// </summary>
public static class AttachShapes
{
    public static object? EventChosenByConditional()
    {
        var log = Attached(true, (pg, first, probe) => Trace.Attach<Action<int>>(pg, first ? Events.Trace1 : Events.TraceFiresAnother, probe));
        return log + Attached(false, (pg, first, probe) => Trace.Attach<Action<int>>(pg, first ? Events.Trace1 : Events.TraceFiresAnother, probe));
    }

    public static object? EventChosenByCoalescing()
    {
        var log = Attached(true, (pg, first, probe) => Trace.Attach(pg, Chosen(first) ?? Events.TraceFiresAnother, probe));
        return log + Attached(false, (pg, first, probe) => Trace.Attach(pg, Chosen(first) ?? Events.TraceFiresAnother, probe));
    }

    public static object? EventChosenInOneStatement()
    {
        // The choice and the attach in one method body, with a plain attach beside them.
        var pg = new ProbeGroup();
        var first = Fx.B(false);
        Trace.Lock();
        try
        {
            Trace.Attach<Action<int>>(pg, first ? Events.Trace1 : Events.TraceFiresAnother, v => Fx.Note("chosen probe " + v));
            Trace.Attach(pg, Events.Trace1, v => Fx.Note("plain probe " + v));
        }
        finally
        {
            Trace.Unlock();
        }
        Events.Trace1(1);
        Events.TraceFiresAnother(2);
        pg.Done();
        return first;
    }

    static Action<int>? Chosen(bool first) => first ? Events.Trace1 : null;

    static string Attached(bool first, Func<ProbeGroup, bool, Action<int>, Probe> attach)
    {
        var pg = new ProbeGroup();
        Trace.Lock();
        try
        {
            attach(pg, Fx.B(first), v => Fx.Note("own probe " + v));
        }
        finally
        {
            Trace.Unlock();
        }
        Events.Trace1(1);
        Events.TraceFiresAnother(2);
        pg.Done();
        return first ? "first;" : "second;";
    }
}
