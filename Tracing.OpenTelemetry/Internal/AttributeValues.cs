using System;
using System.Globalization;

namespace Tracing.OpenTelemetry.Internal;

/// <summary>
/// The value rules of the runtime (<see cref="TraceValueWriter"/>), mapped onto OpenTelemetry
/// attribute values: numbers and bools stay numbers and bools, everything else becomes text.
/// </summary>
/// <remarks>
/// Signed integers are <c>long</c> (OTLP's <c>int_value</c>); unsigned ones too while they fit,
/// and their decimal text past <c>long.MaxValue</c> (OTLP has no unsigned integer, and a double
/// would round them); <c>float</c>, <c>double</c> and <c>decimal</c> are <c>double</c>; a char is a
/// one-character string; <see cref="DateTime"/> is ISO 8601 (<c>"O"</c>), <see cref="TimeSpan"/>
/// <c>"c"</c> (<c>d.hh:mm:ss.fffffff</c>), <see cref="Guid"/> <c>"D"</c>; null stays null.
/// </remarks>
internal static class AttributeValues
{
    public static object FromUInt64(ulong value) =>
        value <= long.MaxValue ? (long)value : value.ToString(CultureInfo.InvariantCulture);

    public static string FromChar(char value) => value.ToString();

    public static string FromDateTime(DateTime value) => value.ToString("O", CultureInfo.InvariantCulture);

    public static string FromTimeSpan(TimeSpan value) => value.ToString("c", CultureInfo.InvariantCulture);

    public static string FromGuid(Guid value) => value.ToString("D");
}

/// <summary>A writer that turns each argument into its attribute value and hands it to <see cref="Add"/>.</summary>
internal abstract class AttributeWriter : TraceValueWriter
{
    protected abstract void Add(int index, object? value);

    public sealed override void WriteNull(int index) => Add(index, null);
    public sealed override void WriteBoolean(int index, bool value) => Add(index, value);
    public sealed override void WriteInt64(int index, long value) => Add(index, value);
    public sealed override void WriteUInt64(int index, ulong value) => Add(index, AttributeValues.FromUInt64(value));
    public sealed override void WriteDouble(int index, double value) => Add(index, value);
    public sealed override void WriteDecimal(int index, decimal value) => Add(index, (double)value);
    public sealed override void WriteChar(int index, char value) => Add(index, AttributeValues.FromChar(value));
    public sealed override void WriteString(int index, string value) => Add(index, value);
    public sealed override void WriteDateTime(int index, DateTime value) => Add(index, AttributeValues.FromDateTime(value));
    public sealed override void WriteTimeSpan(int index, TimeSpan value) => Add(index, AttributeValues.FromTimeSpan(value));
    public sealed override void WriteGuid(int index, Guid value) => Add(index, AttributeValues.FromGuid(value));
}
