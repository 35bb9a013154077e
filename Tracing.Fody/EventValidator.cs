using System.Collections.Generic;
using System.Linq;
using Mono.Cecil;
using Mono.Cecil.Cil;

namespace Tracing.Fody;

/// <summary>
/// Checks every declaration against the weaving rules (DESIGN.md): static, void, non-generic, in a
/// non-generic type, an empty body, at most 16 by-value parameters that can be type arguments
/// of <c>Action&lt;…&gt;</c>, and a name that does not collide. Sets each valid event's probe type.
/// </summary>
public static class EventValidator
{
    const int MaxParameters = 16; // Action<T1, …, T16>

    // The generic parameter attribute that C# 13 writes for `allows ref struct` (ECMA-335 augments).
    const GenericParameterAttributes AllowByRefLike = (GenericParameterAttributes)0x0020;

    public static void Validate(IReadOnlyList<TraceEvent> events, RuntimeReferences refs, Diagnostics diagnostics)
    {
        // Member names per type, looked up once: an assembly may declare thousands of events in one type.
        var memberNames = new Dictionary<TypeDefinition, HashSet<string>>();
        HashSet<string> NamesOf(TypeDefinition type)
        {
            if (!memberNames.TryGetValue(type, out var names))
                memberNames[type] = names = new HashSet<string>(type.Methods.Select(m => m.Name).Concat(type.Fields.Select(f => f.Name)));
            return names;
        }
        foreach (var traceEvent in events)
        {
            var problems = Problems(traceEvent, refs, NamesOf(traceEvent.Method.DeclaringType)).ToList();
            var point = Diagnostics.DeclarationOf(traceEvent.Method);
            foreach (var problem in problems)
                diagnostics.Error($"Trace event {traceEvent.FullName} {problem}", point);
            if (problems.Count == 0)
                traceEvent.ProbeType = refs.ActionOf(traceEvent.Method.Parameters.Select(p => p.ParameterType).ToArray());
        }
        foreach (var sameName in events.GroupBy(e => (e.Method.DeclaringType, e.Method.Name)).Where(g => g.Count() > 1))
        {
            foreach (var traceEvent in sameName)
            {
                diagnostics.Error(
                    $"Trace event {traceEvent.FullName} is overloaded: trace events are named by type and name, so give each overload its own name.",
                    Diagnostics.DeclarationOf(traceEvent.Method));
            }
        }
    }

    static IEnumerable<string> Problems(TraceEvent traceEvent, RuntimeReferences refs, HashSet<string> memberNames)
    {
        var method = traceEvent.Method;
        if (method.Name.Contains('<') || method.IsConstructor)
        {
            yield return "must be an ordinary method of a type (not a local function, lambda, constructor or accessor).";
            yield break;
        }
        // A method that cannot have an empty body: say what to remove rather than "write { }".
        if (method.IsAbstract)
        {
            yield return "must not be abstract: a trace event is a static method with an empty body, [Trace.Event] static void Name(...) { }.";
            yield break;
        }
        if (method.IsVirtual)
            yield return "must not be virtual: a type that overrides it would have an event that is not woven.";
        // extern: no body at all (DllImport, InternalCall) or, without them, an RVA of 0 (Cecil reads an empty body).
        if (!method.HasBody || (method.RVA == 0 && method.Body.Instructions.Count == 0))
        {
            yield return "must not be extern: a trace event is a static method with an empty body, [Trace.Event] static void Name(...) { }.";
            yield break;
        }
        if (Diagnostics.StateMachineOf(method) is not null)
        {
            yield return "must not be async or an iterator: remove `async` (or `yield`); its body is generated.";
            yield break;
        }
        if (!method.IsStatic) yield return "must be static.";
        if (method.ReturnType.MetadataType != MetadataType.Void) yield return "must return void.";
        if (method.HasGenericParameters) yield return "must not be generic.";
        for (var type = method.DeclaringType; type is not null; type = type.DeclaringType)
        {
            if (type.HasGenericParameters)
            {
                yield return $"must not be declared in a generic type ({TraceEvent.TypeName(type)}).";
                break;
            }
        }
        if (!HasEmptyBody(method)) yield return "must have an empty body: its body is generated (write `{ }`).";
        if (method.Parameters.Count > MaxParameters)
            yield return $"has {method.Parameters.Count} parameters; trace events take at most {MaxParameters}, like Action<T1, …, T16>.";
        foreach (var parameter in method.Parameters)
        {
            var problem = ParameterProblem(parameter, refs, method.Parameters.Count);
            if (problem is not null) yield return $"parameter '{parameter.Name}' {problem}";
        }
        var attachName = traceEvent.AttachName;
        if (memberNames.Contains(attachName))
            yield return $"cannot be woven: {method.DeclaringType.FullName.Replace('/', '.')} already has a member named {attachName}, the name of the generated attach method.";
    }

    static bool HasEmptyBody(MethodDefinition method)
    {
        if (!method.HasBody) return false;
        var instructions = method.Body.Instructions;
        return instructions.Count > 0 &&
               instructions.Last().OpCode == OpCodes.Ret &&
               instructions.Take(instructions.Count - 1).All(i => i.OpCode == OpCodes.Nop);
    }

    static string? ParameterProblem(ParameterDefinition parameter, RuntimeReferences refs, int arity)
    {
        var type = parameter.ParameterType;
        if (type.IsByReference)
            return parameter.IsOut ? "is out: trace event parameters are passed by value." : "is passed by reference (ref/in): trace event parameters are passed by value.";
        if (type.IsPointer || type.IsFunctionPointer)
            return "is a pointer: probes are Action<…> delegates, whose type arguments cannot be pointers.";
        if (type.IsRequiredModifier || type.IsOptionalModifier)
        {
            var element = ((IModifierType)type).ElementType;
            if (element.IsPointer || element.IsFunctionPointer) return "is a pointer: probes are Action<…> delegates, whose type arguments cannot be pointers.";
        }
        if (IsByRefLike(type) && !ActionAllowsRefStructs(refs, arity))
            return $"is a ref struct ({type.Name}), which this target's Action<…> does not accept as a type argument (it does from .NET 9 on).";
        return null;
    }

    static bool IsByRefLike(TypeReference type)
    {
        switch (type.FullName)
        {
            case "System.TypedReference":
            case "System.ArgIterator":
            case "System.RuntimeArgumentHandle":
                return true;
        }
        if (type.IsGenericParameter || type.IsArray) return false;
        var definition = type.Resolve();
        return definition is not null && definition.IsValueType &&
               definition.CustomAttributes.Any(a => a.AttributeType.FullName == "System.Runtime.CompilerServices.IsByRefLikeAttribute");
    }

    static bool ActionAllowsRefStructs(RuntimeReferences refs, int arity)
    {
        var action = refs.ActionDefinition(arity);
        return action.GenericParameters.All(p => (p.Attributes & AllowByRefLike) != 0);
    }
}
