using System;
using System.Linq;
using Mono.Cecil;
using Tracing.Internal;
using static Tracing.Internal.TypeNameText;

namespace Tracing.Fody;

/// <summary>
/// Type names as C# writes them, as the weaver records parameter types for <c>Trace.Events</c> and
/// <c>tracing list</c> and as its messages print probe types: keywords for the built-in types,
/// <c>T?</c> for <c>Nullable&lt;T&gt;</c>, namespace-qualified names with dots between nested
/// types, and <c>Action&lt;…&gt;</c> for the probe delegate types. Tracing.Runtime's
/// Internal/CSharpTypeNames.cs is its twin for reflection types: both must give the same text, and
/// share Tracing.Runtime/Internal/TypeNameText.cs.
/// </summary>
public static class TypeNames
{
    public static string Of(TypeReference type)
    {
        switch (type)
        {
            case ArrayType array:
                return $"{Of(array.ElementType)}[{new string(',', array.Rank - 1)}]";
            case ByReferenceType byReference:
                return Of(byReference.ElementType) + "&";
            case PointerType pointer:
                return Of(pointer.ElementType) + "*";
            case IModifierType modified:
                return Of(modified.ElementType);
            case GenericParameter parameter:
                return parameter.Name;
            case GenericInstanceType generic:
                if (generic.ElementType.FullName == "System.Nullable`1") return Of(generic.GenericArguments[0]) + "?";
                return Qualify(generic.ElementType, $"{StripArity(generic.ElementType.Name)}<{string.Join(", ", generic.GenericArguments.Select(Of))}>");
        }
        return Keyword(type.FullName) ?? Qualify(type, StripArity(type.Name));
    }

    /// <summary><c>Action</c> or <c>Action&lt;…&gt;</c> of the given parameter type names.</summary>
    public static string ProbeType(string[] parameterTypeNames) => TypeNameText.ProbeType(parameterTypeNames);

    static string Qualify(TypeReference element, string name)
    {
        if (element.DeclaringType is { } outer) return $"{StripArguments(Of(outer))}.{name}";
        if (IsActionName(element.Namespace, element.Name)) return name;
        return string.IsNullOrEmpty(element.Namespace) ? name : $"{element.Namespace}.{name}";
    }
}
