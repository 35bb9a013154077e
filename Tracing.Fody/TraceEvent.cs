using System.Linq;
using Mono.Cecil;

namespace Tracing.Fody;

/// <summary>One <c>[Trace.Event]</c> method and what the weaver generates for it.</summary>
public sealed class TraceEvent
{
    public TraceEvent(MethodDefinition method) => Method = method;

    /// <summary>The declaration: <c>[Trace.Event] static void TraceHello(string who) { }</c>.</summary>
    public MethodDefinition Method { get; }

    /// <summary>
    /// <c>Namespace.Type.Event</c> (nested types joined with dots). A generic type, where no valid
    /// event can be, is written as C# writes it (<c>Outer&lt;T&gt;.Inner</c>) for the error that says so.
    /// </summary>
    public string FullName => $"{TypeName(Method.DeclaringType)}.{Method.Name}";

    /// <summary>A type definition's name as its declaration reads: <c>Ns.Outer&lt;T&gt;.Inner</c>, not <c>Ns.Outer`1/Inner</c>.</summary>
    public static string TypeName(TypeDefinition type)
    {
        var name = type.Name;
        var tick = name.IndexOf('`');
        if (tick >= 0 && int.TryParse(name.Substring(tick + 1), out var arity) && arity <= type.GenericParameters.Count)
        {
            // A nested type lists its enclosing types' parameters first, then its own.
            var own = type.GenericParameters.Skip(type.GenericParameters.Count - arity).Select(p => p.Name);
            name = $"{name.Substring(0, tick)}<{string.Join(", ", own)}>";
        }
        return type.DeclaringType is { } outer ? $"{TypeName(outer)}.{name}"
            : type.Namespace.Length > 0 ? $"{type.Namespace}.{name}" : name;
    }

    /// <summary>The probe delegate type, <c>Action&lt;parameter types…&gt;</c>; set by validation.</summary>
    public TypeReference? ProbeType { get; set; }

    /// <summary>The list head every call site checks; emitted.</summary>
    public FieldDefinition? Head { get; set; }

    /// <summary>The generated <c>&lt;Event&gt;_Attach(ProbeGroup? pg, Action&lt;…&gt; probe)</c>; emitted.</summary>
    public MethodDefinition? Attach { get; set; }

    public string AttachName => Method.Name + "_Attach";

    public override string ToString() => FullName;
}
