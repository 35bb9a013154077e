using System;
using System.Collections.Generic;
using Tracing;

namespace AssemblyToProcess;

public enum Color { Red, Green, Blue }

[Flags]
public enum Access { None = 0, Read = 1, Write = 2 }

public enum Small : byte { A = 1, B = 200 }

public enum Wide : long { Minus = -5, Big = long.MaxValue }

/// <summary>A value whose text changes: a sink must take it when the event fires.</summary>
public sealed class Mutable
{
    public string Text = "";

    public override string ToString() => Text;
}

/// <summary>Events of every kind of parameter the value rules of sinks name (TraceValueWriter).</summary>
public static class ValueEvents
{
    [Trace.Event] public static void TraceSigned(sbyte a, short b, int c, long d, nint e) { }
    [Trace.Event] public static void TraceUnsigned(byte a, ushort b, uint c, ulong d, nuint e) { }
    [Trace.Event] public static void TraceReal(float a, double b, decimal c) { }
    [Trace.Event] public static void TraceOthers(bool a, char b, string? c, DateTime d, TimeSpan e, Guid f) { }
    [Trace.Event] public static void TraceEnums(Color a, Access b, Small c, Wide d, DayOfWeek e) { }
    [Trace.Event] public static void TraceNullables(int? a, long? b, bool? c, double? d, Color? e, Guid? f, DateTime? g) { }
    [Trace.Event] public static void TraceDay(DayOfWeek day, int? n, Guid id, TimeSpan time) { }
    [Trace.Event] public static void TraceObjects(object? a, Mutable? b, (int, string) c, List<int> d, DateTimeOffset e) { }

    public static void FireAll(bool nulls)
    {
        TraceSigned(-8, -16, -32, long.MinValue, -64);
        TraceUnsigned(8, 16, 32, ulong.MaxValue, 64);
        TraceReal(1.5f, -2.25, 3.125m);
        TraceOthers(true, 'x', nulls ? null : "text", new DateTime(2026, 11, 30, 6, 0, 0, DateTimeKind.Utc), TimeSpan.FromMilliseconds(1500),
            new Guid("01234567-89ab-cdef-0123-456789abcdef"));
        TraceEnums(Color.Blue, Access.Read | Access.Write, Small.B, Wide.Minus, DayOfWeek.Friday);
        if (nulls) TraceNullables(null, null, null, null, null, null, null);
        else TraceNullables(1, -2, true, 0.5, Color.Green, Guid.Empty, new DateTime(2000, 1, 1));
        var mutable = new Mutable { Text = "before" };
        TraceObjects(nulls ? null : 42, nulls ? null : mutable, (7, "seven"), new List<int> { 1 }, new DateTimeOffset(2026, 1, 2, 3, 4, 5, TimeSpan.Zero));
        mutable.Text = "after";
    }

    /// <summary>An event a top-level type cannot see, with a parameter type only its class can name.</summary>
    public static void FireHidden() => Hidden.Fire();

    static class Hidden
    {
        sealed class Secret
        {
            public override string ToString() => "secret";
        }

        [Trace.Event] static void TraceSecret(Secret secret, int n) { }

        public static void Fire() => TraceSecret(new Secret(), 3);
    }
}
