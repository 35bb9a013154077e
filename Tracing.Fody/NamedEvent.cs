using System.Linq;
using Mono.Cecil;

namespace Tracing.Fody;

/// <summary>
/// A trace event that <c>Trace.Attach(pg, "Ns.Type.Event", probe)</c> can name: one of this
/// assembly's own, or one recorded in an imported assembly's metadata.
/// </summary>
public sealed class NamedEvent
{
    NamedEvent(string assemblyName, string fullName, string[] parameterNames, string[] parameterTypeNames, TypeReference probeType)
    {
        AssemblyName = assemblyName;
        FullName = fullName;
        ParameterNames = parameterNames;
        ParameterTypeNames = parameterTypeNames;
        ProbeType = probeType;
    }

    /// <summary>One of this assembly's events (valid: its probe type is set).</summary>
    public static NamedEvent Own(string assemblyName, TraceEvent traceEvent) =>
        new(assemblyName, traceEvent.FullName,
            traceEvent.Method.Parameters.Select(p => p.Name).ToArray(),
            traceEvent.Method.Parameters.Select(p => TypeNames.Of(p.ParameterType)).ToArray(),
            traceEvent.ProbeType!)
        {
            Event = traceEvent,
        };

    /// <summary>An event of an imported assembly, as its metadata records it.</summary>
    public static NamedEvent Imported(ImportedAssembly from, int index, string fullName, string[] parameterNames,
        string[] parameterTypeNames, TypeReference[] parameterTypes, RuntimeReferences refs) =>
        new(from.Name, fullName, parameterNames, parameterTypeNames, refs.ActionOf(parameterTypes))
        {
            From = from,
            Index = index,
            ParameterTypes = parameterTypes,
        };

    public string AssemblyName { get; }

    /// <summary><c>Namespace.Type.Event</c>.</summary>
    public string FullName { get; }

    public string[] ParameterNames { get; }

    /// <summary>The parameter types as C# writes them (recorded by the exporter's weaver for imported events).</summary>
    public string[] ParameterTypeNames { get; }

    /// <summary><c>Action&lt;parameter types…&gt;</c>; compared by full name with the probe's type.</summary>
    public TypeReference ProbeType { get; }

    /// <summary>Own events: the declaration, whose generated <c>_Attach</c> a by-name call is compiled into.</summary>
    public TraceEvent? Event { get; private set; }

    /// <summary>Imported events: the assembly that exports it.</summary>
    public ImportedAssembly? From { get; private set; }

    /// <summary>Imported events: the index at the exporter's export entry point.</summary>
    public int Index { get; private set; }

    /// <summary>Imported events: the parameter types, as references in the exporter's module.</summary>
    public TypeReference[] ParameterTypes { get; private set; } = System.Array.Empty<TypeReference>();

    /// <summary>Imported events: the generated import accessor; emitted.</summary>
    public MethodDefinition? Accessor { get; set; }

    /// <summary>What a by-name attach of this event is compiled into a call of.</summary>
    public MethodDefinition AttachMethod => Event is not null ? Event.Attach! : Accessor!;

    public string Signature =>
        $"{FullName}({string.Join(", ", ParameterTypeNames.Select((type, i) => $"{type} {ParameterNames[i]}"))})";

    /// <summary><c>Assembly:Namespace.Type.Event(type name, …)</c>, as <c>tracing list</c> prints it.</summary>
    public override string ToString() => $"{AssemblyName}:{Signature}";
}
