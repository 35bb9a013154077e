using System;

namespace Tracing;

/// <summary>
/// A consumer of trace events known only at run time (a recorder, the EventPipe bridge, a
/// profiler, an OpenTelemetry bridge): it receives every firing of the events it is attached to,
/// with each argument written through a <see cref="TraceValueWriter"/>.
/// </summary>
/// <remarks>
/// <para>
/// Attach it with <see cref="Trace.AttachSink(ProbeGroup, TraceEventFilter, TraceEventSink)"/> (every
/// matching event of every woven assembly, loaded now or later) or
/// <see cref="Trace.AttachSink(ProbeGroup, TraceEventInfo, TraceEventSink)"/> (one event). Each attachment
/// is an ordinary probe of the event: it runs synchronously on the firing thread, in attach order
/// with the event's other probes, and an exception it throws propagates to the code that fired
/// the event.
/// </para>
/// <para>
/// Cost model, per firing: a delegate call, <see cref="BeginEvent"/>, one virtual call of the
/// writer per argument, <see cref="EndEvent"/>. No boxing and no reflection: the probe is an
/// instance of a generic adapter closed over the event's parameter types, which Tracing.Fody
/// instantiates in the woven assembly, so it also exists under Native AOT. Arguments follow one
/// set of value rules for every sink (see <see cref="TraceValueWriter"/>).
/// </para>
/// <para>
/// A sink that owns buffers or files detaches first, then waits, then releases them:
/// <c>pg.Done(); Trace.Synchronize();</c>, after which none of its methods is running anywhere.
/// </para>
/// </remarks>
public abstract class TraceEventSink
{
    /// <summary>
    /// Called on the firing thread when <paramref name="traceEvent"/> fires, before its arguments.
    /// Return the writer that receives them, or null to let this firing pass (sampling, no
    /// current span, a full buffer).
    /// </summary>
    /// <param name="traceEvent">The event; <see cref="TraceEventInfo.Id"/> indexes per-event state.</param>
    protected internal abstract TraceValueWriter? BeginEvent(TraceEventInfo traceEvent);

    /// <summary>
    /// Called on the firing thread after the event's last argument was written to
    /// <paramref name="writer"/>, the writer <see cref="BeginEvent"/> returned.
    /// </summary>
    protected internal abstract void EndEvent(TraceEventInfo traceEvent, TraceValueWriter writer);

    /// <summary>
    /// Called when attaching the sink to the events of an assembly that started running after
    /// the sink was attached failed. The failure cannot be thrown there (the attach runs while the
    /// assembly initializes, in code that does not expect it), so it is handed to the sink, which
    /// should report it. The default does nothing.
    /// </summary>
    /// <param name="traceEvent">The event that could not be attached.</param>
    /// <param name="error">What was thrown.</param>
    protected internal virtual void OnAttachFailed(TraceEventInfo traceEvent, Exception error)
    {
    }
}

/// <summary>
/// Receives the arguments of one firing, one call per argument in parameter order, each typed by
/// the value rules every sink shares.
/// </summary>
/// <remarks>
/// <para>The value rules (what each parameter type becomes):</para>
/// <list type="bullet">
/// <item><c>sbyte</c>, <c>short</c>, <c>int</c>, <c>long</c>, <c>nint</c>: <see cref="WriteInt64"/>;
/// <c>byte</c>, <c>ushort</c>, <c>uint</c>, <c>ulong</c>, <c>nuint</c>: <see cref="WriteUInt64"/>;
/// <c>float</c>, <c>double</c>: <see cref="WriteDouble"/>; <c>decimal</c>: <see cref="WriteDecimal"/>.</item>
/// <item><c>bool</c>, <c>char</c>, <c>string</c>, <see cref="DateTime"/>, <see cref="TimeSpan"/>,
/// <see cref="Guid"/>: their own method.</item>
/// <item>An enum: <see cref="WriteString"/> with its name (<c>ToString()</c>'s text; names of
/// defined values are cached, so they do not allocate).</item>
/// <item><c>T?</c>: <see cref="WriteNull"/>, or the value by the rules above.</item>
/// <item>A reference that is null: <see cref="WriteNull"/>. An <c>object</c> parameter: by the
/// rules above for the value's type.</item>
/// <item>Anything else: <see cref="WriteString"/> with its <c>ToString()</c>, taken at the moment
/// of the firing (the object may change later); a value that is <see cref="IFormattable"/>
/// (<see cref="DateTimeOffset"/>, <c>BigInteger</c>, …) is formatted with the invariant culture,
/// so that the text does not depend on the machine's culture.</item>
/// </list>
/// <para>
/// The methods are typed overloads rather than one generic <c>Write&lt;T&gt;</c>: a generic
/// virtual method costs a run-time lookup per call and cannot be compiled ahead of time for types
/// the sink does not know.
/// </para>
/// </remarks>
public abstract class TraceValueWriter
{
    /// <summary>A null reference, or a <c>T?</c> without a value.</summary>
    public abstract void WriteNull(int index);

    /// <summary>A <c>bool</c>.</summary>
    public abstract void WriteBoolean(int index, bool value);

    /// <summary>A signed integer: <c>sbyte</c>, <c>short</c>, <c>int</c>, <c>long</c>, <c>nint</c>.</summary>
    public abstract void WriteInt64(int index, long value);

    /// <summary>An unsigned integer: <c>byte</c>, <c>ushort</c>, <c>uint</c>, <c>ulong</c>, <c>nuint</c>.</summary>
    public abstract void WriteUInt64(int index, ulong value);

    /// <summary>A <c>float</c> or <c>double</c>.</summary>
    public abstract void WriteDouble(int index, double value);

    /// <summary>A <c>decimal</c>. The default writes it as a <c>double</c>.</summary>
    public virtual void WriteDecimal(int index, decimal value) => WriteDouble(index, (double)value);

    /// <summary>A <c>char</c>.</summary>
    public abstract void WriteChar(int index, char value);

    /// <summary>A string: a <c>string</c> argument, an enum's name, or another value's <c>ToString()</c>.</summary>
    public abstract void WriteString(int index, string value);

    /// <summary>A <see cref="DateTime"/>.</summary>
    public abstract void WriteDateTime(int index, DateTime value);

    /// <summary>A <see cref="TimeSpan"/>.</summary>
    public abstract void WriteTimeSpan(int index, TimeSpan value);

    /// <summary>A <see cref="Guid"/>.</summary>
    public abstract void WriteGuid(int index, Guid value);
}
