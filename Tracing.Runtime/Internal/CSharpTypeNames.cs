using System;
using System.Linq;
using static Tracing.Internal.TypeNameText;

namespace Tracing.Internal;

/// <summary>
/// Type names as C# writes them, the way Tracing.Fody records parameter types and
/// <c>tracing list</c> prints them: keywords for the built-in types, <c>T?</c> for
/// <c>Nullable&lt;T&gt;</c>, namespace-qualified names with dots between nested types, and
/// <c>Action&lt;…&gt;</c> for the probe delegate types. The weaver's TypeNames.cs is its twin
/// for Cecil types: both must give the same text, and share TypeNameText.cs.
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
        type.Assembly == typeof(Action).Assembly && TypeNameText.IsActionName(type.Namespace, type.Name);
}
