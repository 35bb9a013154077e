using System;
using System.Reflection;
using Tracing.Internal;

namespace Tracing;

public static partial class Trace
{
    /// <summary>
    /// Attaches <paramref name="probe"/> to the trace event named <paramref name="eventName"/>,
    /// declared in this assembly or in one it imports with <c>[assembly: Trace.Import("…")]</c>,
    /// private events included, and adds it to <paramref name="pg"/> if that is not null. Must be
    /// called under <see cref="Lock"/>.
    /// </summary>
    /// <typeparam name="TProbe">
    /// The event's probe type, <c>Action&lt;parameter types…&gt;</c>. C# infers it from a lambda
    /// with typed parameters, <c>(string who) =&gt; …</c>; otherwise name it:
    /// <c>Trace.Attach&lt;Action&lt;string&gt;&gt;(pg, "…", who =&gt; …)</c>.
    /// </typeparam>
    /// <param name="pg">The group to add the probe to, or null.</param>
    /// <param name="eventName">
    /// The event's full name, <c>"Namespace.Type.Event"</c> (nested types joined with dots), or
    /// <c>"Assembly:Namespace.Type.Event"</c> to say which assembly declares it; <c>tracing list</c>
    /// prints both parts.
    /// </param>
    /// <param name="probe">The code to run, synchronously, each time the event fires.</param>
    /// <returns>The attached probe; <see cref="Probe.Detach"/> detaches it.</returns>
    /// <remarks>
    /// <para>
    /// In an assembly woven by Tracing.Fody a call with a constant name is checked at build time
    /// (an unknown name or a probe of the wrong type is a build error at the call) and compiled
    /// into a direct call of a generated import accessor: no reflection runs. If the imported
    /// assembly's events have changed since this one was built, that call throws an
    /// <see cref="InvalidOperationException"/> that says to rebuild. Anywhere else (an assembly
    /// that is not woven, a name that is not a constant) the name is resolved when the call runs,
    /// through the metadata the weaver recorded, with the same checks and messages.
    /// </para>
    /// <para>
    /// The importing assembly, whose own events and imports the name is looked up in, is the one
    /// that declares the probe's code: a lambda, a local function or a method of the calling
    /// assembly is compiled into it. The call stack plays no part (the JIT may inline the caller
    /// into <see cref="Setup"/>). A probe that is code of an assembly that cannot import (a method
    /// group of the BCL such as <c>Console.WriteLine</c>, a <c>DynamicMethod</c>) is refused:
    /// wrap it in a lambda, <c>(string who) =&gt; Console.WriteLine(who)</c>.
    /// </para>
    /// </remarks>
    /// <exception cref="ArgumentException">
    /// No such event, or the name is ambiguous, or names an assembly that is not imported, or the
    /// probe is code of an assembly that cannot import (not woven, no imports).
    /// </exception>
    /// <exception cref="InvalidOperationException">
    /// Not under the trace lock, or <typeparamref name="TProbe"/> is not the event's probe type, or
    /// an imported assembly cannot be loaded, was not woven, or changed since this assembly was built.
    /// </exception>
    public static Probe Attach<TProbe>(ProbeGroup? pg, string eventName, TProbe probe) where TProbe : Delegate
    {
        if (eventName is null) throw new ArgumentNullException(nameof(eventName));
        if (probe is null) throw new ArgumentNullException(nameof(probe));
        var traceEvent = EventResolver.Resolve(EventResolver.Importer(eventName, probe), eventName, probe.Method);
        EventResolver.CheckProbeType(traceEvent, typeof(TProbe));
        const BindingFlags Flags = BindingFlags.Static | BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.DeclaredOnly;
        var attach = traceEvent.DeclaringType.GetMethod(traceEvent.Name + "_Attach", Flags, null, new[] { typeof(ProbeGroup), typeof(TProbe) }, null)
            ?? throw new InvalidOperationException(
                $"Trace.Attach: {traceEvent} is recorded as a trace event, but {traceEvent.DeclaringType.FullName} has no " +
                $"{traceEvent.Name}_Attach method: {traceEvent.AssemblyName} was changed after Tracing.Fody wove it. Rebuild it.");
        var attachProbe = (Func<ProbeGroup?, TProbe, Probe>)attach.CreateDelegate(typeof(Func<ProbeGroup?, TProbe, Probe>));
        return attachProbe(pg, probe);
    }
}
