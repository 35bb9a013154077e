using System;
using System.Collections.Generic;

namespace Torture;

/// <summary>
/// The trace events of the corpus: every arity and parameter kind the weaving rules allow.
/// Reference/ReferenceEvents.cs is the hand-written equivalent the reference build uses instead.
/// </summary>
public static class Events
{
    [Trace.Event] public static void Trace0() { }
    [Trace.Event] public static void Trace1(int value) { }
    [Trace.Event] public static void TraceText(string? text) { }
    [Trace.Event] public static void TracePair(string name, int value) { }

    [Trace.Event]
    public static void Trace8(int a, long b, double c, bool d, char e, string f, Color g, object? h) { }

    [Trace.Event]
    public static void Trace16(int a1, long a2, short a3, byte a4, sbyte a5, ushort a6, uint a7, ulong a8,
        float a9, double a10, decimal a11, char a12, bool a13, string a14, object? a15, IntPtr a16) { }

    [Trace.Event] public static void TracePoint(Point point) { }
    [Trace.Event] public static void TraceBig(Big big) { }
    [Trace.Event] public static void TraceColor(Color color) { }
    [Trace.Event] public static void TraceNullable(int? value) { }
    [Trace.Event] public static void TraceNullablePoint(Point? point) { }
    [Trace.Event] public static void TraceList(List<string> items) { }
    [Trace.Event] public static void TraceKeyValue(KeyValuePair<string, int?> pair) { }
    [Trace.Event] public static void TraceTuple((int Number, string Name) tuple) { }
    [Trace.Event] public static void TraceObject(object? value) { }
    [Trace.Event] public static void TraceFunc(Func<int> compute) { }
    [Trace.Event] public static void TraceParams(params int[] values) { }
    [Trace.Event] public static void TraceDefaults(int a, string b = "default", Color c = Color.Blue) { }

    // Events whose standard probes do more than record (Harness/Probes.cs).
    [Trace.Event] public static void TraceFiresAnother(int value) { }
    [Trace.Event] public static void TraceAttacher(int value) { }
    [Trace.Event] public static void TraceLate(string text) { }
    [Trace.Event] public static void TraceThrows(int value) { }

#if NET9_0_OR_GREATER
    [Trace.Event] public static void TraceSpan(ReadOnlySpan<char> text) { }
    [Trace.Event] public static void TraceSpanInts(Span<int> values) { }
    [Trace.Event] public static void TraceSlice(Slice slice) { }
    [Trace.Event] public static void TraceParamsSpan(params ReadOnlySpan<int> values) { }
#endif
}

/// <summary>A class with a private event of its own, fired from its instance members.</summary>
public sealed class Widget
{
    readonly int _id;

    public Widget(int id)
    {
        _id = id;
        TraceWidget(A.I(id), A.S("created"));
    }

    [Trace.Event] static void TraceWidget(int id, string what) { }

    internal static void AttachProbes(Tracing.ProbeGroup pg, string tag) =>
        Trace.Attach(pg, TraceWidget, (id, what) => Log.Event(tag, "TraceWidget", id, what));

    public int Poke(int times)
    {
        for (var i = 0; i < times; i++) TraceWidget(_id, A.S("poke " + i));
        return _id * times;
    }
}
