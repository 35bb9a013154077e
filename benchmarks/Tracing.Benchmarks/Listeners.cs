using System;
using System.Diagnostics.Tracing;
using Microsoft.Extensions.Logging;
using Tracing.Benchmarks.Subject;

namespace Tracing.Benchmarks;

/// <summary>An observer that runs an action for each value.</summary>
sealed class Observer<T> : IObserver<T>
{
    readonly Action<T> _onNext;
    public Observer(Action<T> onNext) => _onNext = onNext;
    public void OnNext(T value) => _onNext(value);
    public void OnCompleted() { }
    public void OnError(Exception error) { }
}

/// <summary>An in-process EventListener that enables the benchmarks' EventSource and counts its events.</summary>
sealed class CountingEventListener : EventListener
{
    protected override void OnEventSourceCreated(EventSource eventSource)
    {
        if (eventSource.Name == BenchmarkEventSource.SourceName) EnableEvents(eventSource, EventLevel.Verbose);
    }

    protected override void OnEventWritten(EventWrittenEventArgs eventData) => Sink.Count++;
}

/// <summary>A logger provider whose loggers count the messages they get.</summary>
sealed class CountingLoggerProvider : ILoggerProvider
{
    public ILogger CreateLogger(string categoryName) => new CountingLogger();
    public void Dispose() { }

    sealed class CountingLogger : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;
        public bool IsEnabled(LogLevel logLevel) => true;
        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) => Sink.Count++;
    }
}
