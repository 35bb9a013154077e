using System;
using System.Collections.Generic;

namespace Torture;

/// <summary>
/// Shapes an optimized build compiles into code where an argument is already on the stack when
/// the trace call's statement starts (a local read once stays on the stack), or where the
/// statement starts at a join of branches.
/// </summary>
public static class OptimizedShapes
{
    public static object? LocalReadOnceInTheCall()
    {
        var x = Fx.I(4);
        Events.Trace1(x);
        var s = Fx.V("text");
        Events.TraceText(s);
        var t = Fx.V("pair");
        Events.TracePair(t, A.I(1));
        return 4;
    }

    public static object? ConditionalValueReadOnceInTheCall()
    {
        var flag = Fx.B(true);
        var x = flag ? Fx.I(1) : Fx.I(2); // the call's statement starts where both branches join
        Events.Trace1(x);
        var y = !flag ? Fx.I(3) : Fx.I(4);
        Events.TracePair(A.S("second"), y);
        return flag;
    }

    public static object? CatchVariableReadOnceInTheCall()
    {
        try
        {
            Fx.Throw("caught");
        }
        catch (CaseFailure e)
        {
            Events.TraceObject(e.Message);
        }
        try
        {
            Fx.Throw("again");
        }
        catch (Exception e) when (Fx.B(e is CaseFailure))
        {
            Events.TraceText(A.S(e.Message));
        }
        return "caught";
    }

    public static object? ForeachVariableReadOnceInTheCall()
    {
        foreach (var s in new[] { "a", "b" }) Events.TraceText(s);
        foreach (var i in new List<int> { 1, 2 }) Events.Trace1(i);
        foreach (var c in "xy".AsSpan()) Events.Trace1(c);
        return 2;
    }

    public static object? ValueKeptOnTheStackAcrossCalls()
    {
        var kept = Fx.V(1L << 40); // read by several statements and returned: kept on the stack with dup
        Events.Trace1((int)(kept >> A.I(32)));
        Events.Trace1(unchecked((int)kept));
        Events.TraceObject(kept);
        return kept;
    }

    public static object? TraceCallsInForHeaders()
    {
        var n = 0;
        for (Events.Trace0(); n < 3; n++, Events.Trace1(A.I(n))) Fx.Note("body " + n);
        return n;
    }

    public static object? ArgumentsReorderedIntoTemporaries()
    {
        var a = Fx.I(1);
        Events.TracePair(value: a, name: Fx.V("n") + A.S("!"));
        Events.Trace8(h: null, g: Color.Red, f: A.S("f"), e: 'e', d: true, c: 1.5, b: a, a: A.I(a));
        return a;
    }
}
