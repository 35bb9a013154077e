using System;
using System.Diagnostics;
using System.Diagnostics.Tracing;
using System.Runtime.CompilerServices;
using Microsoft.Extensions.Logging;

namespace Tracing.Benchmarks.Subject;

/// <summary>
/// The same call site written with the mechanisms a .NET user would pick instead of a trace
/// event, each as its documentation recommends, in the same loop as <see cref="Tracepoints"/>.
/// </summary>
public static class Peers
{
    /// <summary>A static C# event.</summary>
    public static event Action<string, int>? Item;

    /// <summary>A multicast delegate (the enabled case combines 4 targets).</summary>
    public static Action<string, int>? Multicast;

    /// <summary>The DiagnosticListener of the benchmarks.</summary>
    public static readonly DiagnosticListener Listener = new(DiagnosticListenerName);

    /// <summary>The ActivitySource of the benchmarks.</summary>
    public static readonly ActivitySource Source = new(ActivitySourceName);

    public const string DiagnosticListenerName = "Tracing.Benchmarks";
    public const string ActivitySourceName = "Tracing.Benchmarks";

    [MethodImpl(MethodImplOptions.NoInlining)]
    public static void StaticEvent(string name, int count)
    {
        for (var i = 0; i < count; i++) Item?.Invoke(name, i);
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    public static void MulticastDelegate(string name, int count)
    {
        for (var i = 0; i < count; i++) Multicast?.Invoke(name, i);
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    public static void DiagnosticListenerWrite(string name, int count)
    {
        for (var i = 0; i < count; i++)
        {
            if (Listener.IsEnabled("Item")) Listener.Write("Item", new { Name = name, N = i });
        }
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    public static void EventSourceWrite(string name, int count)
    {
        for (var i = 0; i < count; i++)
        {
            if (BenchmarkEventSource.Log.IsEnabled()) BenchmarkEventSource.Log.Item(name, i);
        }
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    public static void ActivitySourceStart(string name, int count)
    {
        for (var i = 0; i < count; i++)
        {
            using var activity = Source.StartActivity("Item");
            if (activity is not null)
            {
                activity.SetTag("name", name);
                activity.SetTag("n", i);
            }
        }
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    public static void LoggerMessage(ILogger logger, string name, int count)
    {
        for (var i = 0; i < count; i++) Log.Item(logger, name, i);
    }

    // The expensive argument, evaluated before the peer checks whether anyone listens: what a
    // method call does in C# unless the callee is woven.

    [MethodImpl(MethodImplOptions.NoInlining)]
    public static void EventSourceExpensiveArgument(string name, int count)
    {
        for (var i = 0; i < count; i++) BenchmarkEventSource.Log.Item($"{name} #{i}", i);
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    public static void LoggerMessageExpensiveArgument(ILogger logger, string name, int count)
    {
        for (var i = 0; i < count; i++) Log.Item(logger, $"{name} #{i}", i);
    }
}

/// <summary>An EventSource with one event, written the way its documentation recommends.</summary>
[EventSource(Name = SourceName)]
public sealed class BenchmarkEventSource : EventSource
{
    public const string SourceName = "Tracing-Benchmarks";

    public static readonly BenchmarkEventSource Log = new();

    BenchmarkEventSource() { }

    [Event(1, Level = EventLevel.Informational)]
    public void Item(string name, int n)
    {
        if (IsEnabled()) WriteEvent(1, name, n);
    }
}

/// <summary>A high-performance log message (the <c>[LoggerMessage]</c> source generator).</summary>
public static partial class Log
{
    [LoggerMessage(EventId = 1, Level = LogLevel.Debug, Message = "Item {Name} {N}")]
    public static partial void Item(ILogger logger, string name, int n);
}
