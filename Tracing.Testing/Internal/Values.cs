using System;
using System.Collections;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Reflection;
using System.Runtime.CompilerServices;
using System.Text;

namespace Tracing.Testing.Internal;

/// <summary>
/// How events are compared and shown: equality by value (go's <c>reflect.DeepEqual</c>), a
/// one-line description, and a member-by-member diff.
/// </summary>
/// <remarks>
/// <para>
/// Equality: the same type, then <c>Equals</c> where the type defines it (records, structs,
/// strings, numbers); where that says no, or the type has only the inherited reference
/// equality, sequences compare element by element and other types by their public fields and
/// properties, recursively.
/// </para>
/// <para>
/// Display: scalars as C# literals (strings quoted); types with a <c>ToString</c> of their own
/// by it; records and other classes as <c>Type { Member = value, … }</c>, their strings quoted
/// and their collections listed (a record's generated ToString shows neither).
/// </para>
/// </remarks>
static class Values
{
    const int MaxDepth = 8;
    const int MaxElements = 16;

    public static bool AreEqual(object? want, object? have) => Equal(want, have, 0);

    static bool Equal(object? a, object? b, int depth)
    {
        if (ReferenceEquals(a, b)) return true;
        if (a is null || b is null) return false;
        var type = a.GetType();
        if (type != b.GetType()) return false;
        if (DefinesEquals(type) && a.Equals(b)) return true;
        if (IsScalar(type)) return false;
        if (depth >= MaxDepth) return a.Equals(b);
        // Not equal by Equals, or no Equals of its own: compare what it is made of. A record
        // with a list member is unequal by Equals (it compares the lists' references) but equal
        // here when the lists hold equal elements, as go's reflect.DeepEqual would say.
        if (a is IEnumerable sa && b is IEnumerable sb)
        {
            var ea = sa.Cast<object?>().ToList();
            var eb = sb.Cast<object?>().ToList();
            return ea.Count == eb.Count && ea.Zip(eb, (x, y) => Equal(x, y, depth + 1)).All(same => same);
        }
        var members = Members(type);
        return members.Count > 0 && members.All(m => Equal(m.Get(a), m.Get(b), depth + 1));
    }

    /// <summary>The event as the messages show it: <c>Read { Teller = "alice", Balance = 0 }</c>, <c>"T1·A"</c>.</summary>
    public static string Describe(object? value) => Format(value, 0);

    /// <summary>The event with its type, as go's <c>%T %v</c>: <c>String "T1·A"</c>; just <see cref="Describe"/> when that starts with the type.</summary>
    public static string DescribeWithType(object value)
    {
        var text = Describe(value);
        var type = TypeName(value.GetType());
        return text.StartsWith(type, StringComparison.Ordinal) ? text : $"{type} {text}";
    }

    /// <summary>The name of an event's type as the messages show it: short, generic arguments spelled out.</summary>
    public static string TypeName(Type type)
    {
        var name = type.IsNested && type.DeclaringType is { } outer && !type.IsGenericParameter
            ? TypeName(outer) + "." + BareName(type)
            : BareName(type);
        if (!type.IsGenericType) return name;
        var args = type.GetGenericArguments().Skip(type.DeclaringType?.GetGenericArguments().Length ?? 0);
        return $"{name}<{string.Join(", ", args.Select(TypeName))}>";
    }

    /// <summary>Names two different types so that they read as different (full names when the short ones clash).</summary>
    public static (string Want, string Have) TypeNames(Type want, Type have)
    {
        var w = TypeName(want);
        var h = TypeName(have);
        return w == h ? (want.FullName ?? w, have.FullName ?? h) : (w, h);
    }

    /// <summary>
    /// The differences between two values of the same type, one line each:
    /// <c>Balance: -0 +10</c>, <c>Items[2]: -"a" +"b"</c>.
    /// </summary>
    public static List<string> Diff(object? want, object? have)
    {
        var lines = new List<string>();
        AddDiff(lines, "", want, have, 0);
        if (lines.Count == 0) lines.Add($"-{Describe(want)} +{Describe(have)}");
        return lines;
    }

    static void AddDiff(List<string> lines, string path, object? a, object? b, int depth)
    {
        if (Equal(a, b, depth)) return;
        var leaf = a is null || b is null || a.GetType() != b.GetType() || depth >= MaxDepth || IsScalar(a.GetType());
        if (!leaf && a is IEnumerable sa && b is IEnumerable sb)
        {
            var ea = sa.Cast<object?>().ToList();
            var eb = sb.Cast<object?>().ToList();
            for (var i = 0; i < Math.Max(ea.Count, eb.Count); i++)
            {
                var item = $"{path}[{i}]";
                if (i >= ea.Count) lines.Add($"{item}: +{Describe(eb[i])}");
                else if (i >= eb.Count) lines.Add($"{item}: -{Describe(ea[i])}");
                else AddDiff(lines, item, ea[i], eb[i], depth + 1);
            }
            return;
        }
        if (!leaf)
        {
            var before = lines.Count;
            foreach (var member in Members(a!.GetType()))
            {
                AddDiff(lines, path.Length == 0 ? member.Name : path + "." + member.Name, member.Get(a), member.Get(b!), depth + 1);
            }
            if (lines.Count > before) return;
        }
        lines.Add(path.Length == 0 ? $"-{Describe(a)} +{Describe(b)}" : $"{path}: -{Describe(a)} +{Describe(b)}");
    }

    static string Format(object? value, int depth)
    {
        switch (value)
        {
            case null: return "null";
            case string s: return Quote(s);
            case char c: return "'" + Escape(c.ToString(), '\'') + "'";
            case bool b: return b ? "true" : "false";
            case Enum e: return $"{TypeName(e.GetType())}.{e}";
            case IFormattable f when IsScalar(value.GetType()): return f.ToString(null, CultureInfo.InvariantCulture);
        }
        var type = value.GetType();
        if (IsScalar(type) || DefinesToString(type) || depth >= MaxDepth) return value.ToString() ?? TypeName(type);
        if (value is IEnumerable sequence)
        {
            var items = sequence.Cast<object?>().Take(MaxElements + 1).Select(v => Format(v, depth + 1)).ToList();
            if (items.Count > MaxElements) items[MaxElements] = "…";
            return "[" + string.Join(", ", items) + "]";
        }
        var members = Members(type);
        if (members.Count == 0) return TypeName(type);
        return $"{TypeName(type)} {{ {string.Join(", ", members.Select(m => $"{m.Name} = {FormatMember(m, value, depth + 1)}"))} }}";
    }

    static string FormatMember(Member member, object owner, int depth)
    {
        try
        {
            return Format(member.Get(owner), depth);
        }
        catch (TargetInvocationException e)
        {
            return $"<{member.Name} threw {e.InnerException?.GetType().Name ?? e.GetType().Name}>";
        }
    }

    static string Quote(string s) => "\"" + Escape(s, '"') + "\"";

    static string Escape(string s, char quote)
    {
        var sb = new StringBuilder(s.Length);
        foreach (var c in s)
        {
            switch (c)
            {
                case '\\': sb.Append("\\\\"); break;
                case '\n': sb.Append("\\n"); break;
                case '\r': sb.Append("\\r"); break;
                case '\t': sb.Append("\\t"); break;
                case '\0': sb.Append("\\0"); break;
                default:
                    if (c == quote) sb.Append('\\').Append(c);
                    else if (char.IsControl(c)) sb.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture));
                    else sb.Append(c);
                    break;
            }
        }
        return sb.ToString();
    }

    static string BareName(Type type)
    {
        var name = type.Name;
        var tick = name.IndexOf('`');
        return tick < 0 ? name : name.Substring(0, tick);
    }

    static bool IsScalar(Type type) =>
        type.IsPrimitive || type.IsEnum || type == typeof(string) || type == typeof(decimal) ||
        type == typeof(DateTime) || type == typeof(DateTimeOffset) || type == typeof(TimeSpan) || type == typeof(Guid);

    static bool DefinesEquals(Type type)
    {
        if (type.IsValueType) return true; // ValueType.Equals compares fields; a struct may refine it
        var equals = type.GetMethod(nameof(Equals), BindingFlags.Public | BindingFlags.Instance, null, new[] { typeof(object) }, null);
        return equals is not null && equals.DeclaringType != typeof(object);
    }

    // A ToString written by hand: not object's or ValueType's, and not the one the compiler
    // generates for records.
    static bool DefinesToString(Type type)
    {
        var toString = type.GetMethod(nameof(ToString), BindingFlags.Public | BindingFlags.Instance, null, Type.EmptyTypes, null);
        return toString is not null && toString.DeclaringType != typeof(object) && toString.DeclaringType != typeof(ValueType) &&
               !toString.IsDefined(typeof(CompilerGeneratedAttribute), inherit: false);
    }

    sealed class Member
    {
        public Member(string name, Func<object, object?> get)
        {
            Name = name;
            Get = get;
        }

        public string Name { get; }
        public Func<object, object?> Get { get; }
    }

    // Public instance fields and readable properties without parameters, in declaration order.
    static List<Member> Members(Type type)
    {
        const BindingFlags Flags = BindingFlags.Public | BindingFlags.Instance;
        var members = new List<Member>();
        foreach (var field in type.GetFields(Flags)) members.Add(new Member(field.Name, field.GetValue));
        foreach (var property in type.GetProperties(Flags))
        {
            if (property.GetIndexParameters().Length == 0 && property.GetMethod is { IsPublic: true })
                members.Add(new Member(property.Name, property.GetValue));
        }
        return members;
    }
}
