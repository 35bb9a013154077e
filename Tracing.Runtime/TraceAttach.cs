using System;
using System.Linq;
using System.Reflection;
using Tracing.Internal;

namespace Tracing;

public static partial class Trace
{
    /// <summary>
    /// Attaches <paramref name="probe"/> to the trace event <paramref name="traceEvent"/> and, if
    /// <paramref name="pg"/> is not null, adds it to that group. Must be called under <see cref="Lock"/>.
    /// </summary>
    /// <typeparam name="TProbe">
    /// The event's probe type: <c>Action</c> or <c>Action&lt;…&gt;</c> of the event's parameter types.
    /// C# infers it from the event's method group.
    /// </typeparam>
    /// <param name="pg">The group to add the probe to, or null.</param>
    /// <param name="traceEvent">The trace event, as a method group: <c>Hello.TraceHello</c>.</param>
    /// <param name="probe">The code to run, synchronously, each time the event fires.</param>
    /// <returns>The attached probe; <see cref="Probe.Detach"/> detaches it.</returns>
    /// <remarks>
    /// In an assembly woven by Tracing.Fody this call is compiled into a direct call of the
    /// event's generated <c>&lt;Event&gt;_Attach</c> method: no delegate for the event is created
    /// and no reflection runs. Elsewhere the event's generated attach method is found at run time.
    /// </remarks>
    /// <exception cref="ArgumentException"><paramref name="traceEvent"/> is not a trace event.</exception>
    /// <exception cref="InvalidOperationException">
    /// Not under the trace lock, or the event's assembly was not woven, or <typeparamref name="TProbe"/>
    /// is not the event's probe type.
    /// </exception>
    public static Probe Attach<TProbe>(ProbeGroup? pg, TProbe traceEvent, TProbe probe) where TProbe : Delegate
    {
        if (traceEvent is null) throw new ArgumentNullException(nameof(traceEvent));
        if (probe is null) throw new ArgumentNullException(nameof(probe));
        var attach = FindAttachMethod(traceEvent, typeof(TProbe));
        var attachProbe = (Func<ProbeGroup?, TProbe, Probe>)attach.CreateDelegate(typeof(Func<ProbeGroup?, TProbe, Probe>));
        return attachProbe(pg, probe);
    }

    /// <summary>
    /// Attaches a detached probe again, at the end of its event's probe list, and adds it to
    /// <paramref name="pg"/> if that is not null. Must be called under <see cref="Lock"/>.
    /// </summary>
    /// <remarks>
    /// This is go123's low-level <c>AttachProbe</c>. A probe belongs to the event it was first
    /// attached to (by <see cref="Attach{TProbe}(ProbeGroup, TProbe, TProbe)"/> or a generated <c>_Attach</c> method), so only
    /// the group and the probe are named here.
    /// </remarks>
    /// <exception cref="InvalidOperationException">Not under the trace lock, or the probe is attached.</exception>
    public static void AttachProbe(ProbeGroup? pg, Probe probe)
    {
        if (probe is null) throw new ArgumentNullException(nameof(probe));
        VerifyLocked("Trace.AttachProbe");
        if (probe.IsAttached)
        {
            throw new InvalidOperationException(
                $"Trace.AttachProbe: the {probe} is already attached. Detach it first, or attach a new probe.");
        }
        probe.AttachCore();
        pg?.Add(probe);
    }

    static MethodInfo FindAttachMethod(Delegate traceEvent, Type probeType)
    {
        var method = traceEvent.Method;
        var type = method.DeclaringType;
        if (traceEvent.Target is not null || !method.IsStatic || type is null || traceEvent.GetInvocationList().Length != 1)
        {
            throw new ArgumentException(
                $"Trace.Attach: traceEvent must be a trace event method group such as Hello.TraceHello, not {Describe(method)}.",
                nameof(traceEvent));
        }
        var name = $"{type.FullName}.{method.Name}";
        if (!method.IsDefined(typeof(EventAttribute), inherit: false))
        {
            throw new ArgumentException(
                $"Trace.Attach: {name} is not a trace event. Declare it as [Trace.Event] static void {method.Name}(...) {{ }}.",
                nameof(traceEvent));
        }
        const BindingFlags Flags = BindingFlags.Static | BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.DeclaredOnly;
        var attachName = method.Name + "_Attach";
        // Look the method up by name and signature: the cost must not grow with the number of
        // members of the event's type.
        var attach = type.GetMethod(attachName, Flags, null, new[] { typeof(ProbeGroup), probeType }, null);
        if (attach is not null && attach.ReturnType == typeof(Probe)) return attach;
        foreach (var candidate in type.GetMember(attachName, MemberTypes.Method, Flags).Cast<MethodInfo>())
        {
            var parameters = candidate.GetParameters();
            if (candidate.ReturnType == typeof(Probe) && parameters.Length == 2 && parameters[0].ParameterType == typeof(ProbeGroup))
            {
                // The weaver's build error for the same mistake (AttachCallFinder) says the same.
                var expected = CSharpTypeNames.Of(parameters[1].ParameterType);
                // C# gives a method group with params or optional parameters an anonymous
                // delegate type, which it then infers for TProbe.
                if (probeType.Name.StartsWith("<>f__AnonymousDelegate", StringComparison.Ordinal))
                {
                    throw new InvalidOperationException(
                        $"Trace.Attach: C# inferred an anonymous delegate type for {name} (it has params or optional parameters), " +
                        $"whose probes are {expected}. Name the probe type: Trace.Attach<{expected}>(pg, {method.Name}, probe).");
                }
                throw new InvalidOperationException(
                    $"Trace.Attach: the probes of {name} are {expected}, not {CSharpTypeNames.Of(probeType)}. " +
                    $"Pass a lambda or method group of type {expected}.");
            }
        }
        throw new InvalidOperationException(
            $"Trace.Attach: {name} is declared as a trace event, but {type.Assembly.GetName().Name} was not woven by " +
            "Tracing.Fody. Reference the Tracing.Fody package in that project and list <Tracing /> in its FodyWeavers.xml.");
    }

    static string Describe(MethodInfo method) =>
        method.DeclaringType is { } type ? $"{type.FullName}.{method.Name}" : method.Name;
}
