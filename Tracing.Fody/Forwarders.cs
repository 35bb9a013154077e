using System;
using System.Linq;
using Mono.Cecil;
using Mono.Cecil.Cil;
using Mono.Cecil.Rocks;

namespace Tracing.Fody;

/// <summary>
/// How generated code in a top-level type (<c>&lt;TracingExports&gt;</c>) reaches an event in a
/// type it cannot see, such as a private nested class, or one whose parameter types it cannot
/// name: a method in the event's declaring type does the work, and an <c>internal</c> forwarder
/// in each enclosing type (each of which can see the type nested in it) passes the call on, up
/// to a type the top level can see. No member of the user's types becomes public.
/// </summary>
public static class Forwarders
{
    /// <summary>
    /// Emits <c>internal static {returnType} {name}({parameters})</c> with <paramref name="body"/> in
    /// <paramref name="type"/>, then <c>&lt;Inner&gt;{name}</c> forwarders outwards; returns the
    /// outermost one, which a top-level type can call.
    /// </summary>
    public static MethodDefinition Chain(TypeDefinition type, string name, TypeReference returnType, ParameterDefinition[] parameters,
        Action<ILProcessor> body, RuntimeReferences refs)
    {
        var method = New(type, name, returnType, parameters, refs);
        body(method.Body.GetILProcessor());
        while (!IsReachable(type))
        {
            var outer = type.DeclaringType; // a top-level type is always reachable
            var forwarder = New(outer, $"<{type.Name}>{method.Name}", returnType, parameters, refs);
            var il = forwarder.Body.GetILProcessor();
            foreach (var parameter in forwarder.Parameters) il.Emit(OpCodes.Ldarg, parameter);
            il.Emit(OpCodes.Call, method);
            il.Emit(OpCodes.Ret);
            forwarder.Body.OptimizeMacros();
            type = outer;
            method = forwarder;
        }
        return method;
    }

    static MethodDefinition New(TypeDefinition type, string name, TypeReference returnType, ParameterDefinition[] parameters, RuntimeReferences refs)
    {
        var method = new MethodDefinition(name, MethodAttributes.Assembly | MethodAttributes.Static | MethodAttributes.HideBySig, returnType);
        foreach (var parameter in parameters) method.Parameters.Add(new ParameterDefinition(parameter.Name, parameter.Attributes, parameter.ParameterType));
        method.CustomAttributes.Add(new CustomAttribute(refs.CompilerGeneratedCtor));
        type.Methods.Add(method);
        return method;
    }

    /// <summary>Whether code in a top-level type of this assembly can name the type (and call its internal members).</summary>
    public static bool IsReachable(TypeReference type)
    {
        switch (type)
        {
            case GenericInstanceType generic:
                return IsReachable(generic.ElementType) && generic.GenericArguments.All(IsReachable);
            case TypeSpecification specification: // arrays, pointers, modifiers
                return IsReachable(specification.ElementType);
            case GenericParameter:
                return true;
        }
        // Types of other assemblies are public, or visible to this whole assembly: the event's declaration compiled.
        if (type is not TypeDefinition definition)
        {
            if (type.Scope is not ModuleDefinition) return true;
            definition = type.Resolve();
            if (definition is null) return true;
        }
        for (var t = definition; t.IsNested; t = t.DeclaringType)
        {
            if (!(t.IsNestedPublic || t.IsNestedAssembly || t.IsNestedFamilyOrAssembly)) return false;
        }
        return true;
    }
}
