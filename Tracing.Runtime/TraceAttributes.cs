using System;

namespace Tracing;

public static partial class Trace
{
    /// <summary>
    /// Marks a method as a trace event: <c>[Trace.Event] static void TraceHello(string who) { }</c>.
    /// </summary>
    /// <remarks>
    /// The method must be static, return void, be non-generic in a non-generic type, have an empty
    /// body and by-value parameters. Calling it fires the event. Tracing.Fody checks every
    /// declaration when the assembly is built and reports each mistake as a build error.
    /// </remarks>
    [AttributeUsage(AttributeTargets.Method, AllowMultiple = false, Inherited = false)]
    public sealed class EventAttribute : Attribute
    {
    }
}
