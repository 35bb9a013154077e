using System;
using Tracing;

namespace AssemblyToProcess;

/// <summary>The seed's example.</summary>
public static class Hello
{
    [Trace.Event] internal static void TraceHelloPre(string who) { }
    [Trace.Event] internal static void TraceHello(string who) { }

    public static Action<string> Print = Console.WriteLine;

    public static void SayHello(string who)
    {
        TraceHelloPre(who);
        Print($"Hello, {who}");
        TraceHello(who);
    }
}
