using System;

namespace Tracing.OpenTelemetry.Internal;

/// <summary>
/// A sink attached for the life of an OpenTelemetry provider: attached when the provider is built
/// (the SDK makes its instrumentations then), detached when the provider is disposed (the SDK
/// disposes them first, before it flushes and shuts down its exporters).
/// </summary>
internal sealed class SinkAttachment : IDisposable
{
    readonly ProbeGroup _group = new();

    public SinkAttachment(TraceEventFilter filter, TraceEventSink sink)
    {
        Sink = sink;
        Trace.Setup(() => Trace.AttachSink(_group, filter, sink));
    }

    public TraceEventSink Sink { get; }

    /// <summary>Detaches the sink and waits for the firings that are running it on other threads.</summary>
    public void Dispose()
    {
        _group.Done();
        Trace.Synchronize(); // after this no method of the sink runs anywhere: the exporters can flush
    }
}
