using System.Diagnostics.Tracing;

namespace Tracing.OpenTelemetry.Internal;

/// <summary>
/// What cannot be thrown to anyone: attaching to the events of an assembly that started running
/// after the provider was built failed. Reported the way the OpenTelemetry SDK reports its own
/// troubles, through an EventSource (<c>dotnet-trace collect --providers Tracing-OpenTelemetry</c>).
/// </summary>
[EventSource(Name = "Tracing-OpenTelemetry")]
internal sealed class TraceEventsEventSource : EventSource
{
    public static readonly TraceEventsEventSource Log = new();

    [Event(1, Level = EventLevel.Warning, Message = "Trace event {0} could not be attached: {1}")]
    public void AttachFailed(string traceEvent, string error) => WriteEvent(1, traceEvent, error);
}
