using System.Diagnostics;
using System.Runtime.CompilerServices;
using Microsoft.Extensions.Logging;

namespace Tracing.Benchmarks.Subject;

/// <summary>
/// A trace event that Tracing.OpenTelemetry brings into OpenTelemetry, beside what a user would
/// write by hand for the same span event or log record (OpenTelemetryBenchmarks).
/// </summary>
public static partial class OpenTelemetryPeers
{
    /// <summary>The span event's and log record's name: the event's full name.</summary>
    public const string EventName = "Tracing.Benchmarks.Subject.OpenTelemetryPeers.TraceItem";

    [Trace.Event] internal static void TraceItem(string name, int n) { }

    /// <summary>The trace call: a span event, a log record, or nothing, by what is attached and current.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static void TraceEvent(string name, int count)
    {
        for (var i = 0; i < count; i++) TraceItem(name, i);
    }

    /// <summary>The same span event added by hand, with the same tags, as the Activity documentation shows.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static void AddEventByHand(string name, int count)
    {
        for (var i = 0; i < count; i++)
        {
            if (Activity.Current is { IsAllDataRequested: true, Recorded: true } activity)
            {
                activity.AddEvent(new ActivityEvent(EventName, tags: new ActivityTagsCollection { { "name", name }, { "n", (long)i } }));
            }
        }
    }

    /// <summary>The same log record through a <c>[LoggerMessage]</c> method with the same arguments.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static void LoggerMessage(ILogger logger, string name, int count)
    {
        for (var i = 0; i < count; i++) Item(logger, name, i);
    }

    [LoggerMessage(EventId = 0, EventName = EventName, Level = LogLevel.Information, Message = EventName + "(name: {name}, n: {n})")]
    static partial void Item(ILogger logger, string name, int n);
}
