using Mono.Cecil;

namespace Tracing.Fody;

/// <summary>One <c>[Trace.Event]</c> method and what the weaver generates for it.</summary>
public sealed class TraceEvent
{
    public TraceEvent(MethodDefinition method) => Method = method;

    /// <summary>The declaration: <c>[Trace.Event] static void TraceHello(string who) { }</c>.</summary>
    public MethodDefinition Method { get; }

    /// <summary><c>Namespace.Type.Event</c> (nested types joined with dots).</summary>
    public string FullName => $"{Method.DeclaringType.FullName.Replace('/', '.')}.{Method.Name}";

    /// <summary>The probe delegate type, <c>Action&lt;parameter types…&gt;</c>; set by validation.</summary>
    public TypeReference? ProbeType { get; set; }

    /// <summary>The list head every call site checks; emitted.</summary>
    public FieldDefinition? Head { get; set; }

    /// <summary>The generated <c>&lt;Event&gt;_Attach(ProbeGroup? pg, Action&lt;…&gt; probe)</c>; emitted.</summary>
    public MethodDefinition? Attach { get; set; }

    public string AttachName => Method.Name + "_Attach";

    public override string ToString() => FullName;
}
