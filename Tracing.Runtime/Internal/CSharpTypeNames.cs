using System;
using System.Linq;

namespace Tracing.Internal;

/// <summary>
/// Type names as C# writes them, the way Tracing.Fody records parameter types and
/// <c>tracing list</c> prints them: keywords for the built-in types, <c>T?</c> for
/// <c>Nullable&lt;T&gt;</c>, namespace-qualified names with dots between nested types, and
/// <c>Action&lt;…&gt;</c> for the probe delegate types. The weaver's TypeNames.cs is its twin
/// for Cecil types: both must give the same text.
/// </summary>
static class CSharpTypeNames
{
    public static string Of(Type type)
    {
        if (type.IsArray) return $"{Of(type.GetElementType()!)}[{new string(',', type.GetArrayRank() - 1)}]";
        if (type.IsByRef) return Of(type.GetElementType()!) + "&";
        if (type.IsPointer) return Of(type.GetElementType()!) + "*";
        if (type.IsGenericParameter) return type.Name;
        var keyword = Keyword(type.FullName);
        if (keyword is not null) return keyword;
        if (type.IsGenericType && type.GetGenericTypeDefinition() == typeof(Nullable<>))
            return Of(type.GetGenericArguments()[0]) + "?";
        var name = StripArity(type.Name);
        if (type.IsGenericType && !type.IsGenericTypeDefinition)
        {
            // Generic arguments of nested types belong to the innermost name, as in metadata.
            name += $"<{string.Join(", ", type.GetGenericArguments().Select(Of))}>";
        }
        if (type.DeclaringType is { } outer) return $"{StripArguments(Of(outer))}.{name}";
        if (IsAction(type)) return name;
        return string.IsNullOrEmpty(type.Namespace) ? name : $"{type.Namespace}.{name}";
    }

    static bool IsAction(Type type) =>
        type.Namespace == "System" && type.Assembly == typeof(Action).Assembly &&
        (type.Name == "Action" || type.Name.StartsWith("Action`", StringComparison.Ordinal));

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

    public static string? Keyword(string? fullName) => fullName switch
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

    /// <summary><c>Action</c> or <c>Action&lt;…&gt;</c> of the recorded parameter type names.</summary>
    public static string ProbeType(string[] parameterTypeNames) =>
        parameterTypeNames.Length == 0 ? "Action" : $"Action<{string.Join(", ", parameterTypeNames)}>";
}
