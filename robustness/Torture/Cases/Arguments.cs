using System;
using System.Collections.Generic;
using System.Linq;

namespace Torture;

/// <summary>The shapes of trace call arguments.</summary>
public static class Arguments
{
    public static object? NoArguments()
    {
        Fx.Note("before");
        Events.Trace0();
        Fx.Note("after");
        return 0;
    }

    public static object? Constant()
    {
        Events.Trace1(42);
        Events.TraceText("constant");
        return 1;
    }

    public static object? SideEffects()
    {
        var x = Fx.I(3);
        Events.TracePair(A.S("pair"), A.I(x + 1));
        return x;
    }

    static int s_counter;
    static string? s_slot;
    static int? s_count;

    public static object? LocalMutatedInArgument()
    {
        // A variable assigned in an argument and read after the call is a build error
        // (SkippedAssignmentTests); a local changed only where no later code reads it, and a
        // field, are skipped like any side effect (as with Debug.Assert).
        var x = Fx.I(5);
        Events.Trace1(x++ + A.I(0));
        s_counter = Fx.I(5);
        Events.Trace1(s_counter++);
        Events.Trace1(++s_counter + A.I(0));
        Events.Trace1(s_counter += A.I(10));
        return s_counter; // 5 when nothing is attached
    }

    public static object? EightArguments()
    {
        Events.Trace8(A.I(1), A.V(2L), A.V(3.5), A.B(true), A.V('e'), A.S("six"), A.V(Color.Green), A.V<object?>(null));
        return 8;
    }

    public static object? SixteenArguments()
    {
        Events.Trace16(A.I(1), A.V(2L), A.V((short)3), A.V((byte)4), A.V((sbyte)-5), A.V((ushort)6), A.V(7u), A.V(8ul),
            A.V(9.5f), A.V(10.25), A.V(11.125m), A.V('c'), A.B(false), A.S("fourteen"), A.V<object?>(15), A.V(new IntPtr(16)));
        return 16;
    }

    public static object? ValueKinds()
    {
        Events.TracePoint(new Point(A.I(1), A.I(2)));
        Events.TraceBig(new Big { A = A.I(1), B = 2, C = 3, D = A.I(4) });
        Events.TraceColor(A.V(Color.Red) | Color.Blue);
        Events.TraceNullable(A.N(7));
        Events.TraceNullable(A.N(null));
        Events.TraceNullablePoint(A.I(1) > 0 ? new Point(3, 4) : null);
        Events.TraceList(new List<string> { A.S("a"), A.S("b") });
        Events.TraceKeyValue(new KeyValuePair<string, int?>(A.S("key"), A.N(9)));
        Events.TraceTuple((A.I(1), A.S("one")));
        return "kinds";
    }

    public static object? Boxing()
    {
        var x = Fx.I(12);
        Events.TraceObject(x + A.I(1));
        Events.TraceObject(A.V(Color.Green));
        Events.TraceObject(new Point(A.I(5), 6));
        Events.TraceObject((int?)A.I(3));
        Events.TraceObject(A.V((int?)null));
        Events.TraceObject((A.I(1), "tuple"));
        return x;
    }

    public static object? Conditional()
    {
        var flag = Fx.B(true);
        Events.Trace1(flag ? A.I(1) : A.I(2));
        Events.Trace1(!flag ? A.I(3) : A.B(flag) ? A.I(4) : A.I(5));
        Events.TraceText(flag ? null : A.S("never"));
        return flag;
    }

    public static object? NullConditional()
    {
        string? some = Fx.V("text");
        string? none = Fx.V<string?>(null);
        Events.TraceNullable(A.NS(some)?.Length);
        Events.TraceNullable(A.NS(none)?.Length);
        Events.TraceText(A.NS(some)?.ToUpperInvariant()?.Substring(A.I(1)));
        List<string>? list = null;
        Events.Trace1(list?.Count ?? A.I(-1));
        return some;
    }

    public static object? NullCoalescing()
    {
        string? none = Fx.V<string?>(null);
        Events.TraceText(A.NS(none) ?? A.S("fallback"));
        Events.TraceText(A.NS("first") ?? A.S("never"));
        Events.Trace1(A.N(null) ?? A.N(null) ?? A.I(3));
        Events.TraceText(none ?? throw new CaseFailure("thrown by ??"));
        return none;
    }

    public static object? NullCoalescingAssignment()
    {
        s_slot = Fx.V<string?>(null);
        Events.TraceText(s_slot ??= A.S("filled"));
        Events.TraceText(s_slot ??= A.S("not again"));
        s_count = null;
        Events.Trace1((s_count ??= A.I(4)) + 1);
        return s_slot + "/" + s_count; // unchanged when nothing is attached
    }

    public static object? IsPatterns()
    {
        object boxed = Fx.V<object>(41);
        Events.TraceText(boxed is int n && n > A.I(40) ? "int above" : "other");
        Events.Trace1(A.V(boxed) is int { } m ? m + 1 : -1);
        Events.TraceText(boxed is string s ? s : A.V(boxed) is not null ? "not null" : "null");
        Events.TraceText(A.V(boxed) switch { int i when i > 100 => "big", int => "int", string => "string", _ => "other" });
        Events.TraceText(A.V(new[] { 1, 2, 3 }) is { Length: 3 } array && array[2] is var last ? "last " + last : "no");
        return boxed;
    }

    public static object? OutVariableUsedOnlyInArguments()
    {
        Events.Trace1(int.TryParse(A.S("17"), out var parsed) ? parsed : -1);
        Events.TraceText(Split(A.S("a:b"), out var right) + right);
        return "out";
    }

    static string Split(string text, out string right)
    {
        var colon = text.IndexOf(':');
        right = text.Substring(colon + 1);
        return text.Substring(0, colon);
    }

    public static object? Checked()
    {
        var big = Fx.I(int.MaxValue);
        Events.Trace1(unchecked(big + A.I(1)));
        try
        {
            Events.Trace1(checked(big + A.I(1)));
            Fx.Note("no overflow");
        }
        catch (OverflowException)
        {
            Fx.Note("overflow");
        }
        checked
        {
            Events.Trace1(big - A.I(1));
        }
        return big;
    }

    public static object? ParamsArray()
    {
        Events.TraceParams();
        Events.TraceParams(A.I(1));
        Events.TraceParams(A.I(1), A.I(2), A.I(3));
        Events.TraceParams(new[] { A.I(4), A.I(5) });
        Events.TraceParams(A.V<int[]>(null!) ?? new int[0]);
        return "params";
    }

    public static object? NamedArgumentsOutOfOrder()
    {
        Events.TracePair(value: A.I(2), name: A.S("second first"));
        Events.TraceDefaults(c: A.V(Color.Red), a: A.I(1));
        Events.Trace8(h: A.S("h"), g: Color.Green, f: A.S("f"), e: 'e', d: A.B(true), c: 3.0, b: A.V(2L), a: A.I(1));
        return "named";
    }

    public static object? DefaultParameterValues()
    {
        Events.TraceDefaults(A.I(1));
        Events.TraceDefaults(A.I(2), A.S("given"));
        Events.TraceDefaults(A.I(3), c: Color.Green);
        return "defaults";
    }

    public static object? InterpolatedStrings()
    {
        var x = Fx.I(7);
        Events.TraceText($"x={x}");
        Events.TraceText($"x={x} a={A.I(1)} s={A.S("s"),5} d={A.V(2.5):F2}");
        Events.TraceText($"{A.I(1)}{A.I(2)}{A.I(3)}{A.I(4)}{A.I(5)}");
        Events.TraceText($@"verbatim {A.S("v")}");
        Events.TraceText($"nested {$"inner {A.I(9)}"}");
        return x;
    }

    public static object? LambdasAsArguments()
    {
        var captured = Fx.I(3);
        Events.TraceFunc(() => A.I(1));
        Events.TraceFunc(() => captured + A.I(2));
        Events.TraceFunc(() => { var v = A.I(captured); return v * 2; });
        Events.TraceFunc(new Func<int>(Six));
        Events.TraceFunc(Six);
        Func<int> local = () => A.I(captured + 100);
        Events.TraceFunc(local);
        captured = 10; // the probe runs after: closures see the new value only if they run later
        return captured;
    }

    static int Six() => A.I(6);

    public static object? NestedCallThrows()
    {
        try
        {
            Events.Trace1(Twice(A.Throw("nested")));
            Fx.Note("after the call");
        }
        catch (ArgumentFailure e)
        {
            Fx.Note("caught " + e.Message);
        }
        Events.TracePair(A.S("before the throw"), A.I(1) + A.Throw("second argument"));
        return "unreachable when a probe is attached";
    }

    static int Twice(int v) => v * 2;

    public static object? ThrowExpressions()
    {
        string? none = Fx.V<string?>(null);
        try
        {
            Events.TraceText(none ?? throw new CaseFailure("null"));
        }
        catch (CaseFailure e)
        {
            Fx.Note(e.Message);
        }
        Events.Trace1(A.B(true) ? A.I(1) : throw new CaseFailure("never"));
        return none;
    }

    public static object? StackallocDerived()
    {
        Span<int> buffer = stackalloc int[4];
        for (var i = 0; i < buffer.Length; i++) buffer[i] = Fx.I(i * i);
        Events.Trace1(buffer[A.I(2)]);
        Events.Trace1(Sum(stackalloc int[] { A.I(1), A.I(2), A.I(3) }));
        Events.TraceText(new string(stackalloc char[] { 'o', 'k' }.ToArray()));
        return buffer[3];
    }

    static int Sum(ReadOnlySpan<int> values)
    {
        var sum = 0;
        foreach (var v in values) sum += v;
        return sum;
    }

    public static unsafe object? Pointers()
    {
        var values = new[] { Fx.I(10), 20, 30 };
        fixed (int* p = values)
        {
            Events.Trace1(*p + A.I(0));
            Events.Trace1(p[A.I(2)]);
            Events.TraceObject((long)(p + 1) - (long)p);
        }
        int local = 5;
        int* q = &local;
        Events.Trace1(*q += A.I(1));
        return local;
    }

    public static object? RefLocalsAndArguments()
    {
        var array = new[] { Fx.I(1), 2, 3 };
        ref var slot = ref array[1];
        Events.Trace1(slot += A.I(10));
        Events.Trace1(ByRef(ref array[A.I(2)]));
        var point = new Point(1, 2);
        Events.Trace1(ByIn(in point));
        return string.Join(",", array);
    }

    static int ByRef(ref int value) => ++value;

    static int ByIn(in Point point) => point.X + A.I(point.Y);

    public static object? ConversionsAndCasts()
    {
        long wide = Fx.V(1L << 40);
        Events.Trace1((int)(wide >> A.I(32)));
        Events.Trace1(unchecked((int)wide));
        Events.TraceColor((Color)A.I(2));
        object o = Fx.V<object>("string");
        Events.TraceText((string)o + A.S("!"));
        Events.TraceText(A.V(o) as string);
        Events.TraceObject((IComparable)A.I(5));
        return wide;
    }

    public static object? ArraysAndCollections()
    {
        Events.TraceParams(new int[A.I(2)]);
        Events.TraceList(new List<string>(A.V(new[] { "x", "y" })));
        Events.TraceList(Enumerable.Range(A.I(1), A.I(3)).Select(i => A.S("item" + i)).ToList());
        Events.TraceObject(new[,] { { A.I(1), 2 }, { 3, 4 } }.Length);
        Events.TraceObject(new Dictionary<string, int> { [A.S("k")] = A.I(1) }.Count);
        return "collections";
    }

    public static object? AnonymousAndTuples()
    {
        var anon = new { Name = Fx.V("anon"), Value = 3 };
        Events.TraceText(new { Name = A.S("n"), anon.Value }.ToString());
        var (a, b) = (Fx.I(1), Fx.I(2));
        Events.TraceTuple((a + A.I(b), "sum"));
        Events.TraceTuple(Pair(A.I(7)));
        return a + b;
    }

    static (int, string) Pair(int v) => (v, "pair");

    public static object? DelegatesAndMethodGroups()
    {
        Action<int> viaDelegate = Events.Trace1; // a delegate of the event: not a call site; the event checks itself
        viaDelegate(Fx.I(1));
        Action<string?> text = Events.TraceText;
        text(Fx.V("through a delegate"));
        Action<int> lambda = v => Events.Trace1(v + A.I(100));
        lambda(Fx.I(1));
        return "delegates";
    }

    public static object? Generic()
    {
        Fire(Fx.I(1));
        Fire(Fx.V("text"));
        Fire(new Point(1, 2));
        Fire<int?>(null);
        return Box<Color>.Fire(Color.Red);
    }

    static void Fire<T>(T value) => Events.TraceObject(A.V(value));

    static class Box<T>
    {
        public static T Fire(T value)
        {
            Events.TraceText(typeof(T).Name + A.V(value));
            return value;
        }
    }

    public static object? StringConcatenations()
    {
        var s = Fx.V("s");
        Events.TraceText(s + A.S("a") + A.I(1) + 'c' + null + 2.5);
        Events.TraceText(string.Concat(A.S("x"), A.S("y")));
        Events.TraceText(A.S("x") + A.S("y") + A.S("z") + A.S("w") + A.S("v"));
        return s;
    }
}
