using System.Collections.Generic;

namespace Tracing.OpenTelemetry;

/// <summary>
/// What <c>TracerProviderBuilder.AddTraceEvents</c> brings into traces: which events become span
/// events of the current span, and which begin/end pairs of events become spans of their own.
/// </summary>
public sealed class TraceEventsOptions
{
    /// <summary>
    /// The name (and the package's version is the version) of the <see cref="System.Diagnostics.ActivitySource"/>
    /// that the spans made from <see cref="Spans"/> come from: <c>Tracing.OpenTelemetry</c>.
    /// <c>AddTraceEvents</c> adds it to the provider's sources when <see cref="Spans"/> is not empty.
    /// </summary>
    public const string ActivitySourceName = "Tracing.OpenTelemetry";

    /// <summary>
    /// Globs over events' full names (<c>"MyLib.*"</c>, <c>"MyLib.Cache.Store.TraceEvict"</c>; see
    /// <see cref="TraceEventFilter"/>): each firing of a matching event while
    /// <see cref="System.Diagnostics.Activity.Current"/> is recorded becomes an
    /// <see cref="System.Diagnostics.ActivityEvent"/> of that span. Empty: no span events.
    /// </summary>
    public IList<string> Events { get; } = new List<string>();

    /// <summary>
    /// Begin/end pairs of events, by full name (no wildcards):
    /// <c>("MyLib.Server.Handler.RequestStart", "MyLib.Server.Handler.RequestDone")</c>. A firing
    /// of the begin event starts an <see cref="System.Diagnostics.Activity"/> of the
    /// <see cref="ActivitySourceName"/> source, named after the begin event, a child of the current
    /// span, with the begin event's arguments as tags; the next firing of the end event on the
    /// same thread adds its arguments as tags and stops it. The events of a pair are not also
    /// span events.
    /// </summary>
    public IList<(string Begin, string End)> Spans { get; } = new List<(string Begin, string End)>();
}
