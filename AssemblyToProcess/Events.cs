using System;
using System.Collections.Generic;
using Tracing;

namespace AssemblyToProcess;

/// <summary>Events of every arity and parameter kind the rules allow.</summary>
public static class Events
{
    [Trace.Event] public static void TraceNothing() { }
    [Trace.Event] public static void TraceValue(int value) { }
    [Trace.Event] public static void TraceText(string text) { }
    [Trace.Event] public static void TracePair(string name, int value) { }
    [Trace.Event] public static void TraceMixed(long a, double b, bool c, DayOfWeek d, int? e, Guid f, (int, string) g, List<int> h) { }
    [Trace.Event]
    public static void TraceSixteen(int a1, int a2, int a3, int a4, int a5, int a6, int a7, int a8,
        int a9, int a10, int a11, int a12, int a13, int a14, int a15, int a16) { }
    [Trace.Event] public static void TraceSpan(ReadOnlySpan<char> text) { }
    [Trace.Event] public static void TraceObject(object value) { }
}

/// <summary>Arguments with observable side effects.</summary>
public static class Effects
{
    public static int Evaluations;
    public static readonly List<string> Log = new();

    public static int Next()
    {
        Evaluations++;
        Log.Add("Next");
        return Evaluations;
    }

    public static string Text(string text)
    {
        Evaluations++;
        Log.Add(text);
        return text;
    }

    public static string Throw(string message) => throw new InvalidOperationException(message);

    public static void Reset()
    {
        Evaluations = 0;
        Log.Clear();
    }
}
