using System;
using System.Collections;
using System.Collections.Generic;
using System.Globalization;
using System.Text;
using Microsoft.Extensions.Logging;

namespace Tracing.OpenTelemetry.Internal;

/// <summary>
/// The logging side: each firing becomes a log record through <see cref="ILogger"/>, with the
/// event's full name as <see cref="EventId.Name"/> and the arguments as structured state.
/// </summary>
internal sealed class LogSink : TraceEventSink
{
    readonly Func<ILoggerFactory> _loggerFactory;
    readonly LogLevel _level;
    readonly PerEvent<LogShape> _shapes;
    readonly object _gate = new();
    ILoggerFactory? _factory;

    [ThreadStatic] static StateWriter? t_writer;

    /// <param name="loggerFactory">The application's logger factory, asked for on the first firing
    /// (it is usually being made while the logger provider is built).</param>
    /// <param name="level">The level of the records.</param>
    public LogSink(Func<ILoggerFactory> loggerFactory, LogLevel level)
    {
        _loggerFactory = loggerFactory;
        _level = level;
        _shapes = new PerEvent<LogShape>(Shape);
    }

    LogShape Shape(TraceEventInfo traceEvent)
    {
        ILoggerFactory factory;
        lock (_gate) factory = _factory ??= _loggerFactory();
        // The category is the type that declares the event, as ILogger<T> would name it.
        var category = traceEvent.FullName.Substring(0, traceEvent.FullName.Length - traceEvent.Name.Length - 1);
        return new LogShape(traceEvent, factory.CreateLogger(category));
    }

    // Cost model, per firing: an array load (the event's logger and names) and ILogger.IsEnabled.
    // Not enabled: null, nothing allocated. Enabled: the state (an object and its value array),
    // the boxed numbers and the text of non-numbers, then whatever ILogger.Log costs the
    // application's providers.
    protected override TraceValueWriter? BeginEvent(TraceEventInfo traceEvent)
    {
        var shape = _shapes.Get(traceEvent);
        if (!shape.Logger.IsEnabled(_level)) return null;
        var writer = t_writer;
        if (writer is null || writer.InUse) t_writer = writer = new StateWriter(); // a firing inside an argument's ToString
        writer.Start(shape);
        return writer;
    }

    protected override void EndEvent(TraceEventInfo traceEvent, TraceValueWriter writer)
    {
        var state = ((StateWriter)writer).Finish();
        state.Shape.Logger.Log(_level, state.Shape.EventId, state, null, TraceEventLogState.Format);
    }

    protected override void OnAttachFailed(TraceEventInfo traceEvent, Exception error) =>
        TraceEventsEventSource.Log.AttachFailed(traceEvent.ToString(), error.Message);

    internal sealed class LogShape
    {
        public LogShape(TraceEventInfo traceEvent, ILogger logger)
        {
            Logger = logger;
            EventId = new EventId(0, traceEvent.FullName);
            var names = new string[traceEvent.Parameters.Count];
            var template = new StringBuilder(traceEvent.FullName).Append('(');
            for (var i = 0; i < names.Length; i++)
            {
                names[i] = traceEvent.Parameters[i].Name;
                template.Append(i == 0 ? "" : ", ").Append(names[i]).Append(": {").Append(names[i]).Append('}');
            }
            ParameterNames = names;
            Template = template.Append(')').ToString();
        }

        public ILogger Logger { get; }
        public EventId EventId { get; }
        public string[] ParameterNames { get; }

        /// <summary>The message template: <c>MyLib.Cache.Store.TraceEvict(key: {key}, reason: {reason})</c>.</summary>
        public string Template { get; }
    }

    // One per thread: collects one firing's arguments into a new state.
    sealed class StateWriter : AttributeWriter
    {
        TraceEventLogState? _state;

        public bool InUse => _state is not null;

        public void Start(LogShape shape) => _state = new TraceEventLogState(shape);

        protected override void Add(int index, object? value) => _state!.Values[index] = value;

        public TraceEventLogState Finish()
        {
            var state = _state!;
            _state = null;
            return state;
        }
    }
}

/// <summary>
/// The state of a log record made from a firing: one entry per parameter, by name, then
/// <c>{OriginalFormat}</c>, the message template, which OpenTelemetry exports as the record's body.
/// </summary>
internal sealed class TraceEventLogState : IReadOnlyList<KeyValuePair<string, object?>>
{
    internal static readonly Func<TraceEventLogState, Exception?, string> Format = (state, _) => state.ToString();

    public TraceEventLogState(LogSink.LogShape shape)
    {
        Shape = shape;
        Values = new object?[shape.ParameterNames.Length];
    }

    public LogSink.LogShape Shape { get; }
    public object?[] Values { get; }

    public int Count => Values.Length + 1;

    public KeyValuePair<string, object?> this[int index] =>
        index == Values.Length ? new KeyValuePair<string, object?>("{OriginalFormat}", Shape.Template)
        : (uint)index < (uint)Values.Length ? new KeyValuePair<string, object?>(Shape.ParameterNames[index], Values[index])
        : throw new ArgumentOutOfRangeException(nameof(index));

    public IEnumerator<KeyValuePair<string, object?>> GetEnumerator()
    {
        for (var i = 0; i < Count; i++) yield return this[i];
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    /// <summary>The formatted message: <c>MyLib.Cache.Store.TraceEvict(key: k1, reason: Capacity)</c>.</summary>
    public override string ToString()
    {
        var text = new StringBuilder(Shape.EventId.Name).Append('(');
        for (var i = 0; i < Values.Length; i++)
        {
            text.Append(i == 0 ? "" : ", ").Append(Shape.ParameterNames[i]).Append(": ");
            text.Append(Values[i] switch
            {
                null => "null",
                bool b => b ? "true" : "false",
                IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
                var v => v.ToString(),
            });
        }
        return text.Append(')').ToString();
    }
}
