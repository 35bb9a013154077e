using System;

namespace Tracing.Testing.Example;

/// <summary>
/// go123's tracetest example in C#: two functions that greet someone and fire a trace event as
/// they do. The tests call them from several threads.
/// </summary>
public static class Greeter
{
    /// <summary>Fired by <see cref="Hi"/> before it greets.</summary>
    [Trace.Event] internal static void TraceHi(string who) { }

    /// <summary>Fired by <see cref="Hello"/> before it greets.</summary>
    [Trace.Event] internal static void TraceHello(string who) { }

    /// <summary>Writes "Hi, <paramref name="who"/>".</summary>
    public static void Hi(string who)
    {
        TraceHi(who);
        Console.WriteLine($"Hi, {who}");
    }

    /// <summary>Writes "Hello, <paramref name="who"/>".</summary>
    public static void Hello(string who)
    {
        TraceHello(who);
        Console.WriteLine($"Hello, {who}");
    }
}
