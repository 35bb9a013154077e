using System;

namespace Tracing.Internal;

/// <summary>
/// The text rules of C# type names that the runtime (reflection types, CSharpTypeNames.cs) and
/// the weaver (Cecil types, TypeNames.cs) share. One source file, compiled into both assemblies
/// (Tracing.Fody.csproj links it), so both spell a type the same way.
/// </summary>
static class TypeNameText
{
    /// <summary>The C# keyword for a built-in type's full name, or null.</summary>
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

    /// <summary><c>Action`2</c> → <c>Action</c>.</summary>
    public static string StripArity(string name)
    {
        var tick = name.IndexOf('`');
        return tick < 0 ? name : name.Substring(0, tick);
    }

    /// <summary><c>Outer&lt;int&gt;</c> → <c>Outer</c>.</summary>
    public static string StripArguments(string name)
    {
        var open = name.IndexOf('<');
        return open < 0 ? name : name.Substring(0, open);
    }

    /// <summary>Whether a type named so is <c>System.Action</c> or <c>System.Action`n</c>.</summary>
    public static bool IsActionName(string? @namespace, string name) =>
        @namespace == "System" && (name == "Action" || name.StartsWith("Action`", StringComparison.Ordinal));

    /// <summary><c>Action</c> or <c>Action&lt;…&gt;</c> of the given parameter type names.</summary>
    public static string ProbeType(string[] parameterTypeNames) =>
        parameterTypeNames.Length == 0 ? "Action" : $"Action<{string.Join(", ", parameterTypeNames)}>";
}
