using System;
using System.Linq;
using Mono.Cecil;

namespace Tracing.Fody;

/// <summary>
/// Type names as C# writes them, as the weaver records parameter types for <c>Trace.Events</c> and
/// <c>tracing list</c> and as its messages print probe types: keywords for the built-in types,
/// <c>T?</c> for <c>Nullable&lt;T&gt;</c>, namespace-qualified names with dots between nested
/// types, and <c>Action&lt;…&gt;</c> for the probe delegate types. Tracing.Runtime's
/// Internal/CSharpTypeNames.cs is its twin for reflection types: both must give the same text.
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
    public static string ProbeType(string[] parameterTypeNames) =>
        parameterTypeNames.Length == 0 ? "Action" : $"Action<{string.Join(", ", parameterTypeNames)}>";

    static string Qualify(TypeReference element, string name)
    {
        if (element.DeclaringType is { } outer) return $"{StripArguments(Of(outer))}.{name}";
        if (element.Namespace == "System" && (element.Name == "Action" || element.Name.StartsWith("Action`", StringComparison.Ordinal))) return name;
        return string.IsNullOrEmpty(element.Namespace) ? name : $"{element.Namespace}.{name}";
    }

    static string StripArity(string name)
    {
        var tick = name.IndexOf('`');
        return tick < 0 ? name : name.Substring(0, tick);
    }

    static string StripArguments(string name)
    {
        var open = name.IndexOf('<');
        return open < 0 ? name : name.Substring(0, open);
    }

    static string? Keyword(string fullName) => fullName switch
    {
        "System.Boolean" => "bool",
        "System.Byte" => "byte",
        "System.SByte" => "sbyte",
        "System.Char" => "char",
        "System.Decimal" => "decimal",
        "System.Double" => "double",
        "System.Single" => "float",
        "System.Int16" => "short",
        "System.UInt16" => "ushort",
        "System.Int32" => "int",
        "System.UInt32" => "uint",
        "System.Int64" => "long",
        "System.UInt64" => "ulong",
        "System.IntPtr" => "nint",
        "System.UIntPtr" => "nuint",
        "System.Object" => "object",
        "System.String" => "string",
        "System.Void" => "void",
        _ => null,
    };
}
