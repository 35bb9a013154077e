using System;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Tracing;
using Tracing.OpenTelemetry;
using Tracing.OpenTelemetry.Internal;

namespace OpenTelemetry.Logs;

/// <summary>Brings trace events into OpenTelemetry logs.</summary>
public static class TraceEventsLoggerProviderBuilderExtensions
{
    /// <summary>
    /// Each firing of an event that one of <paramref name="events"/> matches becomes a log record,
    /// span or not: logged through <see cref="ILogger"/> at <see cref="LogLevel.Information"/>, in the
    /// category of the type that declares the event, with the event's full name as
    /// <see cref="EventId.Name"/> and the arguments as structured state.
    /// </summary>
    /// <param name="builder">The logger provider's builder (<c>WithLogging(l => …)</c>).</param>
    /// <param name="events">Globs over events' full names, as <see cref="TraceEventFilter"/> takes them: <c>"MyLib.Cache.*"</c>.</param>
    /// <exception cref="ArgumentException">A glob is malformed, or there is none.</exception>
    public static LoggerProviderBuilder AddTraceEvents(this LoggerProviderBuilder builder, params string[] events)
    {
        if (events is null) throw new ArgumentNullException(nameof(events));
        if (events.Length == 0)
        {
            throw new ArgumentException(
                "AddTraceEvents: name the events, as globs over their full names (\"MyLib.Cache.*\"), or pass options.", nameof(events));
        }
        return builder.AddTraceEvents(o =>
        {
            foreach (var glob in events) o.Events.Add(glob);
        });
    }

    /// <summary>
    /// Each firing of an event of <see cref="TraceEventLogOptions.Events"/> becomes a log record
    /// at <see cref="TraceEventLogOptions.LogLevel"/>, through the application's
    /// <see cref="ILoggerFactory"/>: so the logging filters apply, and the record reaches this
    /// provider's processors and exporters (and the application's other logging providers).
    /// </summary>
    /// <remarks>
    /// The events are attached when the provider is built and detached when it is disposed (with
    /// <see cref="Tracing.Trace.Synchronize"/>). The provider must be the one behind
    /// <see cref="ILogger"/>: <c>services.AddOpenTelemetry().WithLogging(…)</c>, or
    /// <c>logging.AddOpenTelemetry(…)</c> with <c>logging.Services.ConfigureOpenTelemetryLoggerProvider(l => l.AddTraceEvents(…))</c>.
    /// </remarks>
    /// <param name="builder">The logger provider's builder.</param>
    /// <param name="configure">Sets the options; it runs at once.</param>
    /// <exception cref="ArgumentException">A glob is malformed, or there is none.</exception>
    public static LoggerProviderBuilder AddTraceEvents(this LoggerProviderBuilder builder, Action<TraceEventLogOptions> configure)
    {
        if (builder is null) throw new ArgumentNullException(nameof(builder));
        if (configure is null) throw new ArgumentNullException(nameof(configure));
        var options = new TraceEventLogOptions();
        configure(options);
        if (options.Events.Count == 0)
        {
            throw new ArgumentException("AddTraceEvents: the options name no events. Add globs to Events (\"MyLib.Cache.*\").", nameof(configure));
        }
        var filter = TraceEventFilter.TryParse(options.Events, out var parsed, out var error)
            ? parsed!
            : throw new ArgumentException("AddTraceEvents: " + error, nameof(configure));
        var level = options.LogLevel;
        return builder.AddInstrumentation((services, provider) =>
        {
            if (services.GetService<IServiceProviderIsService>() is { } isService && !isService.IsService(typeof(ILoggerFactory)))
            {
                throw new InvalidOperationException(
                    "AddTraceEvents: this logger provider is not behind an ILoggerFactory, so trace events cannot be logged through it. " +
                    "Build it with services.AddOpenTelemetry().WithLogging(l => l.AddTraceEvents(…)) or " +
                    "logging.AddOpenTelemetry(…) and logging.Services.ConfigureOpenTelemetryLoggerProvider(l => l.AddTraceEvents(…)).");
            }
            // The factory is asked for on the first firing: while this provider is built, it is
            // usually the factory that is being made (it needs this provider).
            return new SinkAttachment(filter, new LogSink(() => services.GetRequiredService<ILoggerFactory>(), level));
        });
    }
}
