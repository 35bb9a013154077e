using System;
using System.Threading.Tasks;
using Tracing;

namespace AssemblyWithInvalidEvents;

public class InvalidEvents
{
    [Tracing.Trace.Event] internal void TraceInstance(int x) { }
    [Tracing.Trace.Event] internal static int TraceReturns(int x) { return x; }
    [Tracing.Trace.Event] internal static void TraceGeneric<T>(T x) { }
    [Tracing.Trace.Event] internal static void TraceBody(int x) { Console.WriteLine(x); }
    [Tracing.Trace.Event] internal static void TraceRef(ref int x) { }
    [Tracing.Trace.Event] internal static void TraceOut(out int x) { x = 0; }
    [Tracing.Trace.Event] internal static void TraceIn(in int x) { }
    [Tracing.Trace.Event] internal static unsafe void TracePointer(int* x) { }
    [Tracing.Trace.Event]
    internal static void TraceSeventeen(int a1, int a2, int a3, int a4, int a5, int a6, int a7, int a8, int a9,
        int a10, int a11, int a12, int a13, int a14, int a15, int a16, int a17) { }
    [Tracing.Trace.Event] internal static void TraceOverloaded(int x) { }
    [Tracing.Trace.Event] internal static void TraceOverloaded(string x) { }
    [Tracing.Trace.Event] internal static void TraceTaken(int x) { }
    internal static void TraceTaken_Attach() { }
}

public class Generic<T>
{
    [Tracing.Trace.Event] internal static void TraceInGeneric(int x) { }
}

public static class BadCalls
{
    [Tracing.Trace.Event] internal static void TraceValue(int x) { }

    public static async Task AwaitInArgument(Task<int> task)
    {
        TraceValue(await task);
    }

    public static void WrongProbeType()
    {
        Tracing.Trace.Attach<IntProbe>(null, TraceValue, x => { });
    }

    public delegate void IntProbe(int x);
}

public static class ParamsEvents
{
    [Tracing.Trace.Event] internal static void TraceValues(params int[] values) { }

    public static void AttachInferred()
    {
        Tracing.Trace.Attach(null, TraceValues, values => { });
    }
}
