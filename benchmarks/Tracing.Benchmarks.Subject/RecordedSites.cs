using System.Diagnostics.Tracing;
using System.Runtime.CompilerServices;

namespace Tracing.Benchmarks.Subject;

/// <summary>
/// The recording benchmarks' call sites: a woven event with a string and an int argument, and
/// the same event as an EventSource method written with WriteEventCore, each in a loop of
/// <c>count</c> calls.
/// </summary>
public static class RecordedSites
{
    [Trace.Event] internal static void TraceRecorded(string name, int n) { }

    /// <summary>The full name a recorder selects.</summary>
    public const string RecordedEvent = "Tracing.Benchmarks.Subject.RecordedSites.TraceRecorded";

    [MethodImpl(MethodImplOptions.NoInlining)]
    public static void Recorded(string name, int count)
    {
        for (var i = 0; i < count; i++) TraceRecorded(name, i);
    }

    /// <summary>
    /// The floor under any recorded event: the loop of <see cref="Recorded"/> with only the
    /// timestamp every record takes (<see cref="System.Diagnostics.Stopwatch.GetTimestamp"/>), kept.
    /// </summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static long ClockOnly(int count)
    {
        long last = 0;
        for (var i = 0; i < count; i++) last = System.Diagnostics.Stopwatch.GetTimestamp();
        return last;
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    public static void EventSourceCore(string name, int count)
    {
        for (var i = 0; i < count; i++) RecordingEventSource.Log.Item(name, i);
    }
}

/// <summary>The same event as an EventSource method, written the fast way (WriteEventCore, no object[]).</summary>
[EventSource(Name = SourceName)]
public sealed class RecordingEventSource : EventSource
{
    public const string SourceName = "Tracing-Benchmarks-Recording";

    public static readonly RecordingEventSource Log = new();

    RecordingEventSource() { }

    [Event(1, Level = EventLevel.Informational)]
    public unsafe void Item(string name, int n)
    {
        if (!IsEnabled()) return;
        fixed (char* text = name)
        {
            var data = stackalloc EventData[2];
            data[0].DataPointer = (nint)text;
            data[0].Size = (name.Length + 1) * sizeof(char);
            data[1].DataPointer = (nint)(&n);
            data[1].Size = sizeof(int);
            WriteEventCore(1, 2, data);
        }
    }
}
