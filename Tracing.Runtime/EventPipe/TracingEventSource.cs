#if NET
using System.Collections.Generic;
using System.Diagnostics.Tracing;
using System.Threading;

namespace Tracing.Internal;

/// <summary>
/// The EventSource named <c>Tracing</c>: what a diagnostics session (<c>dotnet-trace</c>,
/// <c>tracing record -p</c>) enables to receive the trace events of a running process. It exists
/// in every process that has started a woven assembly (<see cref="EventPipeHook"/> creates
/// it) and costs nothing until a session enables it.
/// </summary>
/// <remarks>
/// <para>
/// Keywords: <c>0x1</c> (<see cref="Keywords.Events"/>), the trace events, at level 5 (Verbose).
/// Argument: <c>events=GLOB GLOB…</c> (globs separated by spaces or <c>|</c>, as
/// <see cref="TraceEventFilter"/> reads them); no argument means every event. Each firing is
/// written by <see cref="EventPipeSink"/> as one event named after the trace event, with one field
/// per parameter. <see cref="Error"/> (event 1) reports what the bridge could not do (a malformed
/// glob, an event it cannot write): the traced process never sees an exception.
/// </para>
/// <para>
/// A session that only wants counters (<c>dotnet-counters</c>, whose arguments carry
/// <c>EventCounterIntervalSec</c>) or does not enable keyword <c>0x1</c> at level 5 attaches nothing.
/// </para>
/// <para>
/// Threads. EventSource runs <see cref="OnEventCommand"/> on whatever thread the runtime calls it
/// from, which can be the thread running a woven assembly's module initializer (when a session is
/// already on as the source is created). Attaching needs the trace lock, which must not be waited
/// for there (EventRegistry's remarks), so a command only records what the sessions want and hands
/// the attaching to a thread-pool thread (<see cref="EventPipeBridge"/>).
/// </para>
/// </remarks>
[EventSource(Name = ProviderName)]
sealed class TracingEventSource : EventSource
{
    /// <summary>The provider name sessions enable.</summary>
    public const string ProviderName = "Tracing";

    /// <summary>The session argument that selects events.</summary>
    public const string EventsArgument = "events";

    /// <summary>The level trace events are written at.</summary>
    public const EventLevel EventsLevel = EventLevel.Verbose;

    public static class Keywords
    {
        /// <summary>The trace events.</summary>
        public const EventKeywords Events = (EventKeywords)1;
    }

    static TracingEventSource? s_log; // roots the source for the process's life

    /// <summary>The source, once created.</summary>
    public static TracingEventSource? Log => Volatile.Read(ref s_log);

    /// <summary>Creates the source (<see cref="EventPipeHook"/> calls it once, on a thread-pool thread).</summary>
    public static void Create()
    {
        try
        {
            Volatile.Write(ref s_log, new TracingEventSource());
        }
        catch (System.Exception)
        {
            // The traced process must not fail because its diagnostics could not start.
        }
    }

    TracingEventSource()
    {
    }

    /// <summary>What the bridge could not do: a malformed glob, an event it cannot write.</summary>
    [Event(1, Level = EventLevel.Error, Message = "{0}")]
    public void Error(string message) => WriteEvent(1, message);

    /// <summary>
    /// The name of the thread that writes it: written before a thread's first trace event of each
    /// attachment (<see cref="EventPipeSink"/>), so a reader can name the thread's track (EventPipe
    /// gives each event its OS thread id, not the thread's name).
    /// </summary>
    [Event(2, Level = EventsLevel, Keywords = Keywords.Events, Message = "{0}")]
    public void ThreadName(string name) => WriteEvent(2, name);

    /// <inheritdoc />
    protected override void OnEventCommand(EventCommandEventArgs command)
    {
        // Never throw into the runtime's callback: whatever goes wrong is reported as an Error event.
        try
        {
            var wanted = IsEnabled(EventsLevel, Keywords.Events);
            switch (command.Command)
            {
                case EventCommand.Enable:
                    if (wanted && WantsEvents(command.Arguments)) EventPipeBridge.SessionStarted(this, EventGlobs(command.Arguments));
                    else EventPipeBridge.SessionsChanged(this, wanted);
                    break;
                case EventCommand.Disable:
                case EventCommand.Update:
                    EventPipeBridge.SessionsChanged(this, wanted);
                    break;
            }
        }
        catch (System.Exception e)
        {
            Error("Tracing: the EventPipe bridge failed to handle a session command: " + e.Message);
        }
    }

    // A session that asks for counters (EventCounterIntervalSec) without naming events does not want them.
    static bool WantsEvents(IDictionary<string, string?>? arguments) =>
        arguments is null || arguments.ContainsKey(EventsArgument) || !arguments.ContainsKey("EventCounterIntervalSec");

    static string? EventGlobs(IDictionary<string, string?>? arguments) =>
        arguments is not null && arguments.TryGetValue(EventsArgument, out var globs) ? globs ?? "" : null;
}
#endif
