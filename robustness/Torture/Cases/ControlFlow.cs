using System;
using System.Collections.Generic;

namespace Torture;

/// <summary>Trace calls in every kind of statement and control flow.</summary>
public static class ControlFlow
{
    public static object? IfElse()
    {
        var x = Fx.I(3);
        if (x > 2) Events.Trace1(A.I(1));
        else Events.Trace1(A.I(2));
        if (x < 2) Events.Trace1(A.I(3));
        else if (x == 3) Events.Trace1(A.I(4));
        if (x > 0)
        {
            Events.TraceText(A.S("block"));
        }
        if (x > 0) Events.Trace0();
        Events.Trace1(A.I(5)); // a join point: both branches land on the check
        return x;
    }

    public static object? IfWithoutElseAsLastStatement()
    {
        var x = Fx.I(1);
        if (x == 1) Events.TracePair(A.S("only"), A.I(x));
        return x;
    }

    public static object? Loops()
    {
        var sum = 0;
        for (var i = 0; i < 3; i++) Events.Trace1(A.I(i));
        for (var i = 0; i < 3; i++)
        {
            sum += Fx.I(i);
            Events.Trace1(A.I(sum));
        }
        var k = 0;
        while (Fx.I(k) < 2)
        {
            Events.TracePair(A.S("while"), A.I(k));
            k++;
        }
        do Events.Trace1(A.I(k)); while (--k > 0 && Fx.I(k) < 100);
        for (;;)
        {
            Events.Trace0();
            if (Fx.I(++sum) > 5) break;
        }
        return sum;
    }

    public static object? LoopsThatSkipTheirOwnIncrement()
    {
        // The increment is an argument: skipped when nothing is attached (as with Debug.Assert), so
        // this loop must not depend on it alone.
        s_k = 0;
        var guard = 0;
        while (s_k < 2 && guard++ < 5) Events.Trace1(s_k++);
        return s_k + ":" + guard;
    }

    static int s_k;

    public static object? ForeachOverArrays()
    {
        foreach (var s in new[] { Fx.V("x"), "y" }) Events.TraceText(A.S(s));
        int[] values = { 1, 2, 3 };
        foreach (var v in values)
        {
            if (v == 2) continue;
            Events.Trace1(A.I(v));
        }
        foreach (var v in new int[0]) Events.Trace1(v);
        return values.Length;
    }

    public static object? ForeachOverSpans()
    {
        Span<int> span = stackalloc int[] { 4, 5, 6 };
        foreach (var v in span) Events.Trace1(A.I(v));
        ReadOnlySpan<char> text = "ab".AsSpan();
        foreach (var c in text) Events.TraceText(A.V(c).ToString());
        foreach (ref var v in span) v = Fx.I(v * 2);
        return span[0] + span[1] + span[2];
    }

    public static object? ForeachOverEnumerators()
    {
        var list = new List<int> { 1, 2 };
        foreach (var v in list) Events.Trace1(A.I(v));
        var map = new Dictionary<string, int> { ["a"] = 1 };
        foreach (var pair in map) Events.TracePair(A.S(pair.Key), A.I(pair.Value));
        foreach (var v in Numbers(2)) Events.Trace1(A.I(v));
        foreach (var v in new Countdown(2)) Events.Trace1(A.I(v)); // a pattern-based enumerator struct
        IEnumerable<int> boxed = list;
        foreach (var v in boxed) Events.TraceObject(A.I(v));
        return list.Count;
    }

    static IEnumerable<int> Numbers(int n)
    {
        for (var i = 0; i < n; i++) yield return Fx.I(i);
    }

    struct Countdown
    {
        int _n;
        public Countdown(int n) => _n = n + 1;
        public Countdown GetEnumerator() => this;
        public int Current => _n;
        public bool MoveNext() => --_n > 0;
    }

    public static object? BreakContinueAndNested()
    {
        var hits = 0;
        for (var i = 0; i < 4; i++)
        {
            for (var j = 0; j < 4; j++)
            {
                if (j > i) break;
                if ((i + j) % 2 == 1) continue;
                Events.TracePair(A.S("ij"), A.I(i * 10 + j));
                hits++;
            }
            Events.Trace1(A.I(-i));
        }
        return hits;
    }

    public static object? EarlyReturns()
    {
        return Classify(Fx.I(-1)) + Classify(Fx.I(0)) + Classify(Fx.I(5));
    }

    static string Classify(int x)
    {
        if (x < 0)
        {
            Events.TraceText(A.S("negative"));
            return "n";
        }
        Events.Trace1(A.I(x));
        if (x == 0) return "z";
        Events.TraceText(A.S("positive"));
        return "p";
    }

    public static object? GotoForwardAndBackward()
    {
        var n = 0;
    again:
        Events.Trace1(A.I(n)); // the target of a backward goto
        n = Fx.I(n + 1);
        if (n < 3) goto again;
        if (n == 3) goto skip;
        Events.TraceText(A.S("skipped"));
    skip:
        Events.TraceText(A.S("after skip"));
        goto end;
    end:
        return n;
    }

    public static object? SwitchStatements()
    {
        var result = "";
        for (var i = 0; i < 6; i++)
        {
            switch (Fx.I(i))
            {
                case 0:
                    Events.Trace1(A.I(0));
                    break;
                case 1:
                case 2:
                    Events.TracePair(A.S("one or two"), A.I(i));
                    result += "a";
                    break;
                case 3:
                    Events.Trace0();
                    goto case 1;
                case 4:
                    Events.TraceText(A.S("four"));
                    goto default;
                default:
                    Events.TraceText(A.S("default"));
                    result += "d";
                    break;
            }
        }
        return result;
    }

    public static object? SparseAndStringSwitches()
    {
        var log = "";
        foreach (var key in new[] { "alpha", "beta", "gamma", "delta", "epsilon", "zeta", "eta", "other" })
        {
            switch (key)
            {
                case "alpha": Events.TraceText(A.S("A")); break;
                case "beta": Events.TraceText(A.S("B")); break;
                case "gamma": Events.TraceText(A.S("G")); break;
                case "delta": Events.TraceText(A.S("D")); break;
                case "epsilon": Events.TraceText(A.S("E")); break;
                case "zeta": Events.TraceText(A.S("Z")); break;
                case "eta": Events.TraceText(A.S("H")); break;
                default: log += key; break;
            }
        }
        foreach (var n in new[] { 1, 100, 10000, -7 })
        {
            switch (n)
            {
                case 1: Events.Trace1(A.I(1)); break;
                case 100: Events.Trace1(A.I(100)); break;
                case 10000: Events.Trace1(A.I(10000)); break;
                default: Events.Trace1(A.I(n)); break;
            }
        }
        return log;
    }

    public static object? PatternSwitches()
    {
        var log = "";
        foreach (var o in new object?[] { 1, 42, "s", "long string", new Point(1, 2), null, 2.5 })
        {
            switch (o)
            {
                case int i when i > 10:
                    Events.Trace1(A.I(i));
                    break;
                case int i:
                    Events.TracePair(A.S("small"), i);
                    break;
                case string { Length: > 3 } s:
                    Events.TraceText(A.S(s));
                    break;
                case string s:
                    log += s;
                    break;
                case Point { X: 1 } p:
                    Events.TracePoint(A.V(p));
                    break;
                case null:
                    Events.TraceText(A.NS(null));
                    break;
                default:
                    Events.TraceObject(A.V(o));
                    break;
            }
        }
        return log;
    }

    public static object? SwitchExpressions()
    {
        var log = "";
        for (var i = 0; i < 4; i++)
        {
            Events.TraceText(i switch
            {
                0 => A.S("zero"),
                1 => A.S("one"),
                _ when i > A.I(2) => A.S("many"),
                _ => A.S("two"),
            });
            log += i switch { 0 => "z", 1 => Fx.V("o"), _ => "m" };
            Events.Trace1((i, i % 2) switch { (0, _) => A.I(100), (_, 1) => A.I(101), _ => A.I(102) });
        }
        return log;
    }

    public static object? NestedSwitchExpressions()
    {
        var total = 0;
        foreach (var (a, b) in new[] { (1, 2), (2, 1), (3, 3) })
        {
            Events.TraceText(a switch
            {
                1 => b switch { 2 => A.S("1-2"), _ => A.S("1-x") },
                2 => A.S("2") + (b switch { 1 => A.S("-1"), _ => "" }),
                _ => (a + b) switch { > 5 => A.S("big"), _ => A.S("small") },
            });
            total += a * b;
        }
        return total;
    }

    public static object? TraceCallsAsEmbeddedStatements()
    {
        var x = Fx.I(2);
        if (x > 1) Events.Trace1(A.I(1)); else Events.Trace1(A.I(2));
        while (x-- > 1) Events.Trace1(A.I(x));
        for (var i = 0; i < 2; i++) if (i == 1) Events.Trace1(A.I(i));
        using (new Disposable("using")) Events.TraceText(A.S("in using"));
        lock (Gate) Events.TraceText(A.S("in lock"));
        checked { Events.Trace1(A.I(x)); }
        unchecked { Events.Trace1(A.I(x + int.MaxValue)); }
        { Events.Trace0(); }
        return x;
    }

    static readonly object Gate = new();

    public static object? ConsecutiveCalls()
    {
        Events.Trace0();
        Events.Trace0();
        Events.Trace1(A.I(1));
        Events.Trace1(A.I(2));
        Events.TraceText(A.S("3"));
        Events.Trace0();
        return 6;
    }

    public static object? ConditionalExpressionsAroundCalls()
    {
        var flag = Fx.B(false);
        var value = flag ? Fx.I(1) : Fx.I(2);
        Events.Trace1(A.I(value));
        var other = (flag || Fx.B(true)) && !flag ? Fx.I(3) : 4;
        Events.Trace1(A.I(other));
        return value + other;
    }
}

/// <summary>Records its disposal.</summary>
public sealed class Disposable : IDisposable
{
    readonly string _name;

    public Disposable(string name)
    {
        _name = name;
        Fx.Note("open " + name);
    }

    public void Dispose()
    {
        Fx.Note("dispose " + _name);
        Events.TraceText(A.S("disposing " + _name));
    }
}
