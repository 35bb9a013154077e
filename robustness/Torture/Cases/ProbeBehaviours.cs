using System;

namespace Torture;

/// <summary>Events whose probes fire other events, attach and detach probes, or throw.</summary>
public static class ProbeBehaviours
{
    public static object? ProbeFiresAnotherEvent()
    {
        Events.TraceFiresAnother(A.I(1));
        Events.TraceFiresAnother(A.I(2));
        return 2;
    }

    public static object? ProbeAttachesAndDetaches()
    {
        Events.TraceLate(A.S("before: nothing attached to TraceLate"));
        Events.TraceAttacher(A.I(1)); // attaches the late probe
        Events.TraceLate(A.S("late probe attached"));
        Events.TraceAttacher(A.I(2)); // detaches it
        Events.TraceLate(A.S("late probe detached"));
        Events.TraceAttacher(A.I(3));
        Events.TraceLate(A.S("attached again"));
        return 3;
    }

    public static object? ProbeThrows()
    {
        var log = "";
        try
        {
            Events.TraceThrows(A.I(1));
            log += "not thrown";
        }
        catch (ProbeFailure e)
        {
            log += e.Message;
        }
        Events.Trace1(A.I(2));
        return log;
    }

    public static object? ProbeThrowsThroughTheCase()
    {
        Events.TraceThrows(A.I(7));
        Fx.Note("after the throwing probe");
        return 7;
    }

    public static object? ProbeThrowsInFinally()
    {
        var log = "";
        try
        {
            try
            {
                Fx.Note("try");
            }
            finally
            {
                Events.TraceThrows(A.I(3));
                log += "finally completed";
            }
        }
        catch (ProbeFailure e)
        {
            log += "caught " + e.Message;
        }
        return log;
    }

    public static object? EventFiredFromAnArgument()
    {
        Events.TracePair(A.S("outer"), Inner(A.I(1)));
        return 1;
    }

    static int Inner(int v)
    {
        Events.Trace1(A.I(v + 100)); // fired while the outer call's arguments are evaluated
        return v;
    }

    public static object? PrivateEventOfAnotherType()
    {
        var w = new Widget(Fx.I(3));
        return w.Poke(1);
    }
}
