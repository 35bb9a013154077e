using System.Collections.Generic;
using System.Linq;
using Mono.Cecil;
using Mono.Cecil.Rocks;

namespace Tracing.Fody;

/// <summary>Finds every method marked <c>[Trace.Event]</c>, in metadata order (so weaving is deterministic).</summary>
public static class EventFinder
{
    public static List<TraceEvent> FindEvents(ModuleDefinition module) =>
        module.GetTypes()
            .SelectMany(t => t.Methods)
            .Where(IsEvent)
            .Select(m => new TraceEvent(m))
            .ToList();

    public static bool IsEvent(MethodDefinition method) =>
        method.HasCustomAttributes &&
        method.CustomAttributes.Any(a => a.AttributeType.FullName == RuntimeReferences.EventAttributeName);
}
