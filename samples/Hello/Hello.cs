using System;
using Tracing;

namespace HelloSample;

/// <summary>A library with two trace events, as in go123/tracing's documentation.</summary>
static class Hello
{
    [Trace.Event] internal static void TraceHelloPre(string who) { }
    [Trace.Event] internal static void TraceHello(string who) { }

    public static void SayHello(string who)
    {
        TraceHelloPre(who);
        Console.WriteLine($"Hello, {who}");
        TraceHello(who);
    }
}
