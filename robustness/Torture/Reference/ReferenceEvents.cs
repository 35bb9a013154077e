// The reference implementation of the corpus's events, written by hand in C#: what the tests
// compile instead of Events.cs to get the behaviour the woven build must have. Each event is
// AssemblyToProcess/Reference/WovenHello.cs's "what gets compiled": a probe list head, an attach
// method, and a dispatch that calls every probe in attach order. The tests also rewrite each call
// site `Event(args);` into `if (Event_probes != null) Event(args);` when arguments are lazy.
#pragma warning disable CS0649
using System;
using System.Collections.Generic;
using System.Threading;
using Tracing;
using Tracing.Internal;

namespace Torture;

public static class Events
{
    internal static ProbeNode<Action>? Trace0_probes;
    static ProbeList<Action>? s_Trace0_list;

    internal static Probe Trace0_Attach(ProbeGroup? pg, Action probe) =>
        EventSupport.Attach(pg, ref s_Trace0_list, "Torture.Events.Trace0", head => Volatile.Write(ref Trace0_probes, head), probe);

    [Trace.Event]
    public static void Trace0()
    {
        if (Trace0_probes == null) return;
        var state = EventSupport.Enter();
        try
        {
            for (var node = Volatile.Read(ref Trace0_probes); node != null; node = node.Next) node.Func();
        }
        catch
        {
            EventSupport.Exit(state);
            throw;
        }
        EventSupport.Exit(state);
    }

    internal static ProbeNode<Action<int>>? Trace1_probes;
    static ProbeList<Action<int>>? s_Trace1_list;

    internal static Probe Trace1_Attach(ProbeGroup? pg, Action<int> probe) =>
        EventSupport.Attach(pg, ref s_Trace1_list, "Torture.Events.Trace1", head => Volatile.Write(ref Trace1_probes, head), probe);

    [Trace.Event]
    public static void Trace1(int value)
    {
        if (Trace1_probes == null) return;
        var state = EventSupport.Enter();
        try
        {
            for (var node = Volatile.Read(ref Trace1_probes); node != null; node = node.Next) node.Func(value);
        }
        catch
        {
            EventSupport.Exit(state);
            throw;
        }
        EventSupport.Exit(state);
    }

    internal static ProbeNode<Action<string?>>? TraceText_probes;
    static ProbeList<Action<string?>>? s_TraceText_list;

    internal static Probe TraceText_Attach(ProbeGroup? pg, Action<string?> probe) =>
        EventSupport.Attach(pg, ref s_TraceText_list, "Torture.Events.TraceText", head => Volatile.Write(ref TraceText_probes, head), probe);

    [Trace.Event]
    public static void TraceText(string? text)
    {
        if (TraceText_probes == null) return;
        var state = EventSupport.Enter();
        try
        {
            for (var node = Volatile.Read(ref TraceText_probes); node != null; node = node.Next) node.Func(text);
        }
        catch
        {
            EventSupport.Exit(state);
            throw;
        }
        EventSupport.Exit(state);
    }

    internal static ProbeNode<Action<string, int>>? TracePair_probes;
    static ProbeList<Action<string, int>>? s_TracePair_list;

    internal static Probe TracePair_Attach(ProbeGroup? pg, Action<string, int> probe) =>
        EventSupport.Attach(pg, ref s_TracePair_list, "Torture.Events.TracePair", head => Volatile.Write(ref TracePair_probes, head), probe);

    [Trace.Event]
    public static void TracePair(string name, int value)
    {
        if (TracePair_probes == null) return;
        var state = EventSupport.Enter();
        try
        {
            for (var node = Volatile.Read(ref TracePair_probes); node != null; node = node.Next) node.Func(name, value);
        }
        catch
        {
            EventSupport.Exit(state);
            throw;
        }
        EventSupport.Exit(state);
    }

    internal static ProbeNode<Action<int, long, double, bool, char, string, Color, object?>>? Trace8_probes;
    static ProbeList<Action<int, long, double, bool, char, string, Color, object?>>? s_Trace8_list;

    internal static Probe Trace8_Attach(ProbeGroup? pg, Action<int, long, double, bool, char, string, Color, object?> probe) =>
        EventSupport.Attach(pg, ref s_Trace8_list, "Torture.Events.Trace8", head => Volatile.Write(ref Trace8_probes, head), probe);

    [Trace.Event]
    public static void Trace8(int a, long b, double c, bool d, char e, string f, Color g, object? h)
    {
        if (Trace8_probes == null) return;
        var state = EventSupport.Enter();
        try
        {
            for (var node = Volatile.Read(ref Trace8_probes); node != null; node = node.Next) node.Func(a, b, c, d, e, f, g, h);
        }
        catch
        {
            EventSupport.Exit(state);
            throw;
        }
        EventSupport.Exit(state);
    }

    internal static ProbeNode<Action<int, long, short, byte, sbyte, ushort, uint, ulong, float, double, decimal, char, bool, string, object?, IntPtr>>? Trace16_probes;
    static ProbeList<Action<int, long, short, byte, sbyte, ushort, uint, ulong, float, double, decimal, char, bool, string, object?, IntPtr>>? s_Trace16_list;

    internal static Probe Trace16_Attach(ProbeGroup? pg, Action<int, long, short, byte, sbyte, ushort, uint, ulong, float, double, decimal, char, bool, string, object?, IntPtr> probe) =>
        EventSupport.Attach(pg, ref s_Trace16_list, "Torture.Events.Trace16", head => Volatile.Write(ref Trace16_probes, head), probe);

    [Trace.Event]
    public static void Trace16(int a1, long a2, short a3, byte a4, sbyte a5, ushort a6, uint a7, ulong a8, float a9, double a10, decimal a11, char a12, bool a13, string a14, object? a15, IntPtr a16)
    {
        if (Trace16_probes == null) return;
        var state = EventSupport.Enter();
        try
        {
            for (var node = Volatile.Read(ref Trace16_probes); node != null; node = node.Next) node.Func(a1, a2, a3, a4, a5, a6, a7, a8, a9, a10, a11, a12, a13, a14, a15, a16);
        }
        catch
        {
            EventSupport.Exit(state);
            throw;
        }
        EventSupport.Exit(state);
    }

    internal static ProbeNode<Action<Point>>? TracePoint_probes;
    static ProbeList<Action<Point>>? s_TracePoint_list;

    internal static Probe TracePoint_Attach(ProbeGroup? pg, Action<Point> probe) =>
        EventSupport.Attach(pg, ref s_TracePoint_list, "Torture.Events.TracePoint", head => Volatile.Write(ref TracePoint_probes, head), probe);

    [Trace.Event]
    public static void TracePoint(Point point)
    {
        if (TracePoint_probes == null) return;
        var state = EventSupport.Enter();
        try
        {
            for (var node = Volatile.Read(ref TracePoint_probes); node != null; node = node.Next) node.Func(point);
        }
        catch
        {
            EventSupport.Exit(state);
            throw;
        }
        EventSupport.Exit(state);
    }

    internal static ProbeNode<Action<Big>>? TraceBig_probes;
    static ProbeList<Action<Big>>? s_TraceBig_list;

    internal static Probe TraceBig_Attach(ProbeGroup? pg, Action<Big> probe) =>
        EventSupport.Attach(pg, ref s_TraceBig_list, "Torture.Events.TraceBig", head => Volatile.Write(ref TraceBig_probes, head), probe);

    [Trace.Event]
    public static void TraceBig(Big big)
    {
        if (TraceBig_probes == null) return;
        var state = EventSupport.Enter();
        try
        {
            for (var node = Volatile.Read(ref TraceBig_probes); node != null; node = node.Next) node.Func(big);
        }
        catch
        {
            EventSupport.Exit(state);
            throw;
        }
        EventSupport.Exit(state);
    }

    internal static ProbeNode<Action<Color>>? TraceColor_probes;
    static ProbeList<Action<Color>>? s_TraceColor_list;

    internal static Probe TraceColor_Attach(ProbeGroup? pg, Action<Color> probe) =>
        EventSupport.Attach(pg, ref s_TraceColor_list, "Torture.Events.TraceColor", head => Volatile.Write(ref TraceColor_probes, head), probe);

    [Trace.Event]
    public static void TraceColor(Color color)
    {
        if (TraceColor_probes == null) return;
        var state = EventSupport.Enter();
        try
        {
            for (var node = Volatile.Read(ref TraceColor_probes); node != null; node = node.Next) node.Func(color);
        }
        catch
        {
            EventSupport.Exit(state);
            throw;
        }
        EventSupport.Exit(state);
    }

    internal static ProbeNode<Action<int?>>? TraceNullable_probes;
    static ProbeList<Action<int?>>? s_TraceNullable_list;

    internal static Probe TraceNullable_Attach(ProbeGroup? pg, Action<int?> probe) =>
        EventSupport.Attach(pg, ref s_TraceNullable_list, "Torture.Events.TraceNullable", head => Volatile.Write(ref TraceNullable_probes, head), probe);

    [Trace.Event]
    public static void TraceNullable(int? value)
    {
        if (TraceNullable_probes == null) return;
        var state = EventSupport.Enter();
        try
        {
            for (var node = Volatile.Read(ref TraceNullable_probes); node != null; node = node.Next) node.Func(value);
        }
        catch
        {
            EventSupport.Exit(state);
            throw;
        }
        EventSupport.Exit(state);
    }

    internal static ProbeNode<Action<Point?>>? TraceNullablePoint_probes;
    static ProbeList<Action<Point?>>? s_TraceNullablePoint_list;

    internal static Probe TraceNullablePoint_Attach(ProbeGroup? pg, Action<Point?> probe) =>
        EventSupport.Attach(pg, ref s_TraceNullablePoint_list, "Torture.Events.TraceNullablePoint", head => Volatile.Write(ref TraceNullablePoint_probes, head), probe);

    [Trace.Event]
    public static void TraceNullablePoint(Point? point)
    {
        if (TraceNullablePoint_probes == null) return;
        var state = EventSupport.Enter();
        try
        {
            for (var node = Volatile.Read(ref TraceNullablePoint_probes); node != null; node = node.Next) node.Func(point);
        }
        catch
        {
            EventSupport.Exit(state);
            throw;
        }
        EventSupport.Exit(state);
    }

    internal static ProbeNode<Action<List<string>>>? TraceList_probes;
    static ProbeList<Action<List<string>>>? s_TraceList_list;

    internal static Probe TraceList_Attach(ProbeGroup? pg, Action<List<string>> probe) =>
        EventSupport.Attach(pg, ref s_TraceList_list, "Torture.Events.TraceList", head => Volatile.Write(ref TraceList_probes, head), probe);

    [Trace.Event]
    public static void TraceList(List<string> items)
    {
        if (TraceList_probes == null) return;
        var state = EventSupport.Enter();
        try
        {
            for (var node = Volatile.Read(ref TraceList_probes); node != null; node = node.Next) node.Func(items);
        }
        catch
        {
            EventSupport.Exit(state);
            throw;
        }
        EventSupport.Exit(state);
    }

    internal static ProbeNode<Action<KeyValuePair<string, int?>>>? TraceKeyValue_probes;
    static ProbeList<Action<KeyValuePair<string, int?>>>? s_TraceKeyValue_list;

    internal static Probe TraceKeyValue_Attach(ProbeGroup? pg, Action<KeyValuePair<string, int?>> probe) =>
        EventSupport.Attach(pg, ref s_TraceKeyValue_list, "Torture.Events.TraceKeyValue", head => Volatile.Write(ref TraceKeyValue_probes, head), probe);

    [Trace.Event]
    public static void TraceKeyValue(KeyValuePair<string, int?> pair)
    {
        if (TraceKeyValue_probes == null) return;
        var state = EventSupport.Enter();
        try
        {
            for (var node = Volatile.Read(ref TraceKeyValue_probes); node != null; node = node.Next) node.Func(pair);
        }
        catch
        {
            EventSupport.Exit(state);
            throw;
        }
        EventSupport.Exit(state);
    }

    internal static ProbeNode<Action<(int Number, string Name)>>? TraceTuple_probes;
    static ProbeList<Action<(int Number, string Name)>>? s_TraceTuple_list;

    internal static Probe TraceTuple_Attach(ProbeGroup? pg, Action<(int Number, string Name)> probe) =>
        EventSupport.Attach(pg, ref s_TraceTuple_list, "Torture.Events.TraceTuple", head => Volatile.Write(ref TraceTuple_probes, head), probe);

    [Trace.Event]
    public static void TraceTuple((int Number, string Name) tuple)
    {
        if (TraceTuple_probes == null) return;
        var state = EventSupport.Enter();
        try
        {
            for (var node = Volatile.Read(ref TraceTuple_probes); node != null; node = node.Next) node.Func(tuple);
        }
        catch
        {
            EventSupport.Exit(state);
            throw;
        }
        EventSupport.Exit(state);
    }

    internal static ProbeNode<Action<object?>>? TraceObject_probes;
    static ProbeList<Action<object?>>? s_TraceObject_list;

    internal static Probe TraceObject_Attach(ProbeGroup? pg, Action<object?> probe) =>
        EventSupport.Attach(pg, ref s_TraceObject_list, "Torture.Events.TraceObject", head => Volatile.Write(ref TraceObject_probes, head), probe);

    [Trace.Event]
    public static void TraceObject(object? value)
    {
        if (TraceObject_probes == null) return;
        var state = EventSupport.Enter();
        try
        {
            for (var node = Volatile.Read(ref TraceObject_probes); node != null; node = node.Next) node.Func(value);
        }
        catch
        {
            EventSupport.Exit(state);
            throw;
        }
        EventSupport.Exit(state);
    }

    internal static ProbeNode<Action<Func<int>>>? TraceFunc_probes;
    static ProbeList<Action<Func<int>>>? s_TraceFunc_list;

    internal static Probe TraceFunc_Attach(ProbeGroup? pg, Action<Func<int>> probe) =>
        EventSupport.Attach(pg, ref s_TraceFunc_list, "Torture.Events.TraceFunc", head => Volatile.Write(ref TraceFunc_probes, head), probe);

    [Trace.Event]
    public static void TraceFunc(Func<int> compute)
    {
        if (TraceFunc_probes == null) return;
        var state = EventSupport.Enter();
        try
        {
            for (var node = Volatile.Read(ref TraceFunc_probes); node != null; node = node.Next) node.Func(compute);
        }
        catch
        {
            EventSupport.Exit(state);
            throw;
        }
        EventSupport.Exit(state);
    }

    internal static ProbeNode<Action<int[]>>? TraceParams_probes;
    static ProbeList<Action<int[]>>? s_TraceParams_list;

    internal static Probe TraceParams_Attach(ProbeGroup? pg, Action<int[]> probe) =>
        EventSupport.Attach(pg, ref s_TraceParams_list, "Torture.Events.TraceParams", head => Volatile.Write(ref TraceParams_probes, head), probe);

    [Trace.Event]
    public static void TraceParams(params int[] values)
    {
        if (TraceParams_probes == null) return;
        var state = EventSupport.Enter();
        try
        {
            for (var node = Volatile.Read(ref TraceParams_probes); node != null; node = node.Next) node.Func(values);
        }
        catch
        {
            EventSupport.Exit(state);
            throw;
        }
        EventSupport.Exit(state);
    }

    internal static ProbeNode<Action<int, string, Color>>? TraceDefaults_probes;
    static ProbeList<Action<int, string, Color>>? s_TraceDefaults_list;

    internal static Probe TraceDefaults_Attach(ProbeGroup? pg, Action<int, string, Color> probe) =>
        EventSupport.Attach(pg, ref s_TraceDefaults_list, "Torture.Events.TraceDefaults", head => Volatile.Write(ref TraceDefaults_probes, head), probe);

    [Trace.Event]
    public static void TraceDefaults(int a, string b = "default", Color c = Color.Blue)
    {
        if (TraceDefaults_probes == null) return;
        var state = EventSupport.Enter();
        try
        {
            for (var node = Volatile.Read(ref TraceDefaults_probes); node != null; node = node.Next) node.Func(a, b, c);
        }
        catch
        {
            EventSupport.Exit(state);
            throw;
        }
        EventSupport.Exit(state);
    }

    internal static ProbeNode<Action<int>>? TraceFiresAnother_probes;
    static ProbeList<Action<int>>? s_TraceFiresAnother_list;

    internal static Probe TraceFiresAnother_Attach(ProbeGroup? pg, Action<int> probe) =>
        EventSupport.Attach(pg, ref s_TraceFiresAnother_list, "Torture.Events.TraceFiresAnother", head => Volatile.Write(ref TraceFiresAnother_probes, head), probe);

    [Trace.Event]
    public static void TraceFiresAnother(int value)
    {
        if (TraceFiresAnother_probes == null) return;
        var state = EventSupport.Enter();
        try
        {
            for (var node = Volatile.Read(ref TraceFiresAnother_probes); node != null; node = node.Next) node.Func(value);
        }
        catch
        {
            EventSupport.Exit(state);
            throw;
        }
        EventSupport.Exit(state);
    }

    internal static ProbeNode<Action<int>>? TraceAttacher_probes;
    static ProbeList<Action<int>>? s_TraceAttacher_list;

    internal static Probe TraceAttacher_Attach(ProbeGroup? pg, Action<int> probe) =>
        EventSupport.Attach(pg, ref s_TraceAttacher_list, "Torture.Events.TraceAttacher", head => Volatile.Write(ref TraceAttacher_probes, head), probe);

    [Trace.Event]
    public static void TraceAttacher(int value)
    {
        if (TraceAttacher_probes == null) return;
        var state = EventSupport.Enter();
        try
        {
            for (var node = Volatile.Read(ref TraceAttacher_probes); node != null; node = node.Next) node.Func(value);
        }
        catch
        {
            EventSupport.Exit(state);
            throw;
        }
        EventSupport.Exit(state);
    }

    internal static ProbeNode<Action<string>>? TraceLate_probes;
    static ProbeList<Action<string>>? s_TraceLate_list;

    internal static Probe TraceLate_Attach(ProbeGroup? pg, Action<string> probe) =>
        EventSupport.Attach(pg, ref s_TraceLate_list, "Torture.Events.TraceLate", head => Volatile.Write(ref TraceLate_probes, head), probe);

    [Trace.Event]
    public static void TraceLate(string text)
    {
        if (TraceLate_probes == null) return;
        var state = EventSupport.Enter();
        try
        {
            for (var node = Volatile.Read(ref TraceLate_probes); node != null; node = node.Next) node.Func(text);
        }
        catch
        {
            EventSupport.Exit(state);
            throw;
        }
        EventSupport.Exit(state);
    }

    internal static ProbeNode<Action<int>>? TraceThrows_probes;
    static ProbeList<Action<int>>? s_TraceThrows_list;

    internal static Probe TraceThrows_Attach(ProbeGroup? pg, Action<int> probe) =>
        EventSupport.Attach(pg, ref s_TraceThrows_list, "Torture.Events.TraceThrows", head => Volatile.Write(ref TraceThrows_probes, head), probe);

    [Trace.Event]
    public static void TraceThrows(int value)
    {
        if (TraceThrows_probes == null) return;
        var state = EventSupport.Enter();
        try
        {
            for (var node = Volatile.Read(ref TraceThrows_probes); node != null; node = node.Next) node.Func(value);
        }
        catch
        {
            EventSupport.Exit(state);
            throw;
        }
        EventSupport.Exit(state);
    }

#if NET9_0_OR_GREATER
    internal static ProbeNode<Action<ReadOnlySpan<char>>>? TraceSpan_probes;
    static ProbeList<Action<ReadOnlySpan<char>>>? s_TraceSpan_list;

    internal static Probe TraceSpan_Attach(ProbeGroup? pg, Action<ReadOnlySpan<char>> probe) =>
        EventSupport.Attach(pg, ref s_TraceSpan_list, "Torture.Events.TraceSpan", head => Volatile.Write(ref TraceSpan_probes, head), probe);

    [Trace.Event]
    public static void TraceSpan(ReadOnlySpan<char> text)
    {
        if (TraceSpan_probes == null) return;
        var state = EventSupport.Enter();
        try
        {
            for (var node = Volatile.Read(ref TraceSpan_probes); node != null; node = node.Next) node.Func(text);
        }
        catch
        {
            EventSupport.Exit(state);
            throw;
        }
        EventSupport.Exit(state);
    }

    internal static ProbeNode<Action<Span<int>>>? TraceSpanInts_probes;
    static ProbeList<Action<Span<int>>>? s_TraceSpanInts_list;

    internal static Probe TraceSpanInts_Attach(ProbeGroup? pg, Action<Span<int>> probe) =>
        EventSupport.Attach(pg, ref s_TraceSpanInts_list, "Torture.Events.TraceSpanInts", head => Volatile.Write(ref TraceSpanInts_probes, head), probe);

    [Trace.Event]
    public static void TraceSpanInts(Span<int> values)
    {
        if (TraceSpanInts_probes == null) return;
        var state = EventSupport.Enter();
        try
        {
            for (var node = Volatile.Read(ref TraceSpanInts_probes); node != null; node = node.Next) node.Func(values);
        }
        catch
        {
            EventSupport.Exit(state);
            throw;
        }
        EventSupport.Exit(state);
    }

    internal static ProbeNode<Action<Slice>>? TraceSlice_probes;
    static ProbeList<Action<Slice>>? s_TraceSlice_list;

    internal static Probe TraceSlice_Attach(ProbeGroup? pg, Action<Slice> probe) =>
        EventSupport.Attach(pg, ref s_TraceSlice_list, "Torture.Events.TraceSlice", head => Volatile.Write(ref TraceSlice_probes, head), probe);

    [Trace.Event]
    public static void TraceSlice(Slice slice)
    {
        if (TraceSlice_probes == null) return;
        var state = EventSupport.Enter();
        try
        {
            for (var node = Volatile.Read(ref TraceSlice_probes); node != null; node = node.Next) node.Func(slice);
        }
        catch
        {
            EventSupport.Exit(state);
            throw;
        }
        EventSupport.Exit(state);
    }

    internal static ProbeNode<Action<ReadOnlySpan<int>>>? TraceParamsSpan_probes;
    static ProbeList<Action<ReadOnlySpan<int>>>? s_TraceParamsSpan_list;

    internal static Probe TraceParamsSpan_Attach(ProbeGroup? pg, Action<ReadOnlySpan<int>> probe) =>
        EventSupport.Attach(pg, ref s_TraceParamsSpan_list, "Torture.Events.TraceParamsSpan", head => Volatile.Write(ref TraceParamsSpan_probes, head), probe);

    [Trace.Event]
    public static void TraceParamsSpan(params ReadOnlySpan<int> values)
    {
        if (TraceParamsSpan_probes == null) return;
        var state = EventSupport.Enter();
        try
        {
            for (var node = Volatile.Read(ref TraceParamsSpan_probes); node != null; node = node.Next) node.Func(values);
        }
        catch
        {
            EventSupport.Exit(state);
            throw;
        }
        EventSupport.Exit(state);
    }
#endif
}

public sealed class Widget
{
    readonly int _id;

    public Widget(int id)
    {
        _id = id;
        TraceWidget(A.I(id), A.S("created"));
    }

    internal static ProbeNode<Action<int, string>>? TraceWidget_probes;
    static ProbeList<Action<int, string>>? s_TraceWidget_list;

    internal static Probe TraceWidget_Attach(ProbeGroup? pg, Action<int, string> probe) =>
        EventSupport.Attach(pg, ref s_TraceWidget_list, "Torture.Widget.TraceWidget", head => Volatile.Write(ref TraceWidget_probes, head), probe);

    [Trace.Event]
    static void TraceWidget(int id, string what)
    {
        if (TraceWidget_probes == null) return;
        var state = EventSupport.Enter();
        try
        {
            for (var node = Volatile.Read(ref TraceWidget_probes); node != null; node = node.Next) node.Func(id, what);
        }
        catch
        {
            EventSupport.Exit(state);
            throw;
        }
        EventSupport.Exit(state);
    }

    internal static void AttachProbes(ProbeGroup pg, string tag) =>
        Trace.Attach(pg, TraceWidget, (id, what) => Log.Event(tag, "TraceWidget", id, what));

    public int Poke(int times)
    {
        for (var i = 0; i < times; i++) TraceWidget(_id, A.S("poke " + i));
        return _id * times;
    }
}
