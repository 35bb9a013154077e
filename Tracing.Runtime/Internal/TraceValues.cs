using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Globalization;
using System.Runtime.CompilerServices;

namespace Tracing.Internal;

/// <summary>
/// The value rules every <see cref="TraceEventSink"/> shares (listed on <see cref="TraceValueWriter"/>),
/// applied to one argument of a firing.
/// </summary>
/// <remarks>
/// Cost model: for a value type <c>T</c> the JIT compiles <see cref="Write{T}"/> separately and
/// folds every <c>typeof(T) ==</c> test and every <c>(X)(object)value</c> cast, so an
/// <c>int</c> argument is one call of <see cref="TraceValueWriter.WriteInt64"/>, without boxing.
/// For reference types (one shared compilation) it is a type test or two. Only enums, nullables
/// and the <c>ToString()</c> fallback take the out-of-line paths below.
/// </remarks>
static class TraceValues
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Write<T>(TraceValueWriter writer, int index, T value)
    {
        if (!typeof(T).IsValueType)
        {
            // The one shared compilation serves every reference type: a string, the commonest,
            // is one method-table compare (string is sealed) and no out-of-line call.
            if (value is string s) writer.WriteString(index, s);
            else WriteObject(writer, index, value);
            return;
        }
        if (typeof(T) == typeof(int)) writer.WriteInt64(index, (int)(object)value!);
        else if (typeof(T) == typeof(long)) writer.WriteInt64(index, (long)(object)value!);
        else if (typeof(T) == typeof(bool)) writer.WriteBoolean(index, (bool)(object)value!);
        else if (typeof(T) == typeof(double)) writer.WriteDouble(index, (double)(object)value!);
        else if (typeof(T) == typeof(uint)) writer.WriteUInt64(index, (uint)(object)value!);
        else if (typeof(T) == typeof(ulong)) writer.WriteUInt64(index, (ulong)(object)value!);
        else if (typeof(T) == typeof(short)) writer.WriteInt64(index, (short)(object)value!);
        else if (typeof(T) == typeof(ushort)) writer.WriteUInt64(index, (ushort)(object)value!);
        else if (typeof(T) == typeof(sbyte)) writer.WriteInt64(index, (sbyte)(object)value!);
        else if (typeof(T) == typeof(byte)) writer.WriteUInt64(index, (byte)(object)value!);
        else if (typeof(T) == typeof(float)) writer.WriteDouble(index, (float)(object)value!);
        else if (typeof(T) == typeof(decimal)) writer.WriteDecimal(index, (decimal)(object)value!);
        else if (typeof(T) == typeof(char)) writer.WriteChar(index, (char)(object)value!);
        else if (typeof(T) == typeof(IntPtr)) writer.WriteInt64(index, (long)(IntPtr)(object)value!);
        else if (typeof(T) == typeof(UIntPtr)) writer.WriteUInt64(index, (ulong)(UIntPtr)(object)value!);
        else if (typeof(T) == typeof(DateTime)) writer.WriteDateTime(index, (DateTime)(object)value!);
        else if (typeof(T) == typeof(TimeSpan)) writer.WriteTimeSpan(index, (TimeSpan)(object)value!);
        else if (typeof(T) == typeof(Guid)) writer.WriteGuid(index, (Guid)(object)value!);
        else if (typeof(T) == typeof(int?)) WriteNullable(writer, index, (int?)(object?)value);
        else if (typeof(T) == typeof(long?)) WriteNullable(writer, index, (long?)(object?)value);
        else if (typeof(T) == typeof(bool?)) WriteNullable(writer, index, (bool?)(object?)value);
        else if (typeof(T) == typeof(double?)) WriteNullable(writer, index, (double?)(object?)value);
        else WriteOtherStruct(writer, index, value);
    }

    static void WriteNullable<T>(TraceValueWriter writer, int index, T? value) where T : struct
    {
        if (value.HasValue) Write(writer, index, value.GetValueOrDefault());
        else writer.WriteNull(index);
    }

    // Enums, the other nullables, and structs written by ToString().
    [MethodImpl(MethodImplOptions.NoInlining)]
    static void WriteOtherStruct<T>(TraceValueWriter writer, int index, T value)
    {
        if (EnumNames<T>.IsEnum)
        {
            writer.WriteString(index, EnumNames<T>.Name(value));
            return;
        }
        if (EnumNames<T>.IsNullable)
        {
            WriteObject(writer, index, value); // boxes the value or makes null: the one allocation of a T? argument
            return;
        }
        // A struct that is not formattable is not boxed (a constrained call of its ToString()).
        writer.WriteString(index, value is IFormattable ? Text(value) : value!.ToString() ?? "");
    }

    // Anything else's text: ToString(), in the invariant culture for a formattable value (a
    // DateTimeOffset would otherwise come out as "01/02/2026 …" or "02.01.2026 …" by machine).
    static string Text(object? value) =>
        value is IFormattable formattable ? formattable.ToString(null, CultureInfo.InvariantCulture) ?? "" : value?.ToString() ?? "";

    /// <summary>A reference (or boxed) value: by the rules for the type it has now.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static void WriteObject(TraceValueWriter writer, int index, object? value)
    {
        switch (value)
        {
            case null: writer.WriteNull(index); break;
            case string s: writer.WriteString(index, s); break;
            case int v: writer.WriteInt64(index, v); break;
            case long v: writer.WriteInt64(index, v); break;
            case bool v: writer.WriteBoolean(index, v); break;
            case double v: writer.WriteDouble(index, v); break;
            case uint v: writer.WriteUInt64(index, v); break;
            case ulong v: writer.WriteUInt64(index, v); break;
            case short v: writer.WriteInt64(index, v); break;
            case ushort v: writer.WriteUInt64(index, v); break;
            case sbyte v: writer.WriteInt64(index, v); break;
            case byte v: writer.WriteUInt64(index, v); break;
            case float v: writer.WriteDouble(index, v); break;
            case decimal v: writer.WriteDecimal(index, v); break;
            case char v: writer.WriteChar(index, v); break;
            case IntPtr v: writer.WriteInt64(index, (long)v); break;
            case UIntPtr v: writer.WriteUInt64(index, (ulong)v); break;
            case DateTime v: writer.WriteDateTime(index, v); break;
            case TimeSpan v: writer.WriteTimeSpan(index, v); break;
            case Guid v: writer.WriteGuid(index, v); break;
            case Enum v: writer.WriteString(index, EnumNames.Name(v)); break;
            default: writer.WriteString(index, Text(value)); break;
        }
    }

    /// <summary>
    /// The names of the values of the enum <typeparamref name="T"/>, cached by value, so that on
    /// .NET 8 and later an enum argument allocates nothing once its value was met.
    /// </summary>
    static class EnumNames<T>
    {
        public static readonly bool IsEnum = typeof(T).IsEnum;
        public static readonly bool IsNullable = Nullable.GetUnderlyingType(typeof(T)) is not null;
        static readonly ConcurrentDictionary<ulong, string> s_names = new();

        public static string Name(T value)
        {
#if NET
            // The enum's bits, zero-extended: distinct values of one enum type get distinct keys.
            ulong key = Unsafe.SizeOf<T>() switch
            {
                1 => Unsafe.As<T, byte>(ref value),
                2 => Unsafe.As<T, ushort>(ref value),
                4 => Unsafe.As<T, uint>(ref value),
                _ => Unsafe.As<T, ulong>(ref value),
            };
            if (s_names.TryGetValue(key, out var name)) return name;
            name = value!.ToString()!;
            if (s_names.Count < EnumNames.MaxNamesPerType) s_names.TryAdd(key, name);
            return name;
#else
            return EnumNames.Name((Enum)(object)value!); // netstandard2.0 has no Unsafe: one box per firing
#endif
        }
    }
}

/// <summary>
/// Enum names by value for boxed enums (an <c>object</c> argument, a nullable enum, and every
/// enum on netstandard2.0), cached per type like <c>TraceValues.EnumNames&lt;T&gt;</c>: the name of
/// each value met is made once, up to <see cref="MaxNamesPerType"/> values per type (flag
/// combinations past that are formatted at each firing).
/// </summary>
static class EnumNames
{
    public const int MaxNamesPerType = 256;
    static readonly ConcurrentDictionary<Type, ConcurrentDictionary<ulong, string>> s_names = new();

    public static string Name(Enum value)
    {
        var type = value.GetType();
        var names = s_names.GetOrAdd(type, static t => new ConcurrentDictionary<ulong, string>());
        var key = Key(value);
        if (names.TryGetValue(key, out var name)) return name;
        name = value.ToString();
        if (names.Count < MaxNamesPerType) names.TryAdd(key, name);
        return name;
    }

    static ulong Key(Enum value) => Type.GetTypeCode(Enum.GetUnderlyingType(value.GetType())) switch
    {
        TypeCode.SByte or TypeCode.Int16 or TypeCode.Int32 or TypeCode.Int64 => unchecked((ulong)Convert.ToInt64(value, null)),
        _ => Convert.ToUInt64(value, null),
    };
}
