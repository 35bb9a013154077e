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

    /// <summary>
    /// Gives this assembly access to the trace events of a referenced assembly, private ones
    /// included (Go's <c>//trace:import</c>): <c>[assembly: Trace.Import("Hello")]</c>.
    /// </summary>
    /// <remarks>
    /// <para>
    /// Probes are then attached by the event's full name:
    /// <c>Trace.Attach(pg, "Hello.Greeter.TraceHello", (string who) =&gt; …)</c>. In an assembly
    /// woven by Tracing.Fody the name and the probe type are checked at build time (a mistake is a
    /// build error at the call) and the call is compiled into a direct call of a generated import
    /// accessor; if the imported assembly's events have changed since, the attach throws an
    /// exception that says to rebuild. Elsewhere the runtime resolves the name when the call runs.
    /// </para>
    /// <para>
    /// Trace events are not part of an assembly's API: importing says that this assembly follows
    /// the imported one's events and is rebuilt when they change.
    /// </para>
    /// </remarks>
    [AttributeUsage(AttributeTargets.Assembly, AllowMultiple = true, Inherited = false)]
    public sealed class ImportAttribute : Attribute
    {
        /// <summary>Imports the trace events of the referenced assembly named <paramref name="assemblyName"/>.</summary>
        /// <param name="assemblyName">The simple name of the assembly, as in <c>Hello</c> for Hello.dll.</param>
        public ImportAttribute(string assemblyName) => AssemblyName = assemblyName;

        /// <summary>The simple name of the imported assembly.</summary>
        public string AssemblyName { get; }
    }
}
