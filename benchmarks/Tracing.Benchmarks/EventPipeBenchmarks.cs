using System;
using System.Collections.Generic;
using System.Diagnostics.Tracing;
using System.IO;
using System.Reflection;
using System.Runtime.CompilerServices;
using System.Threading;
using BenchmarkDotNet.Attributes;
using Microsoft.Diagnostics.NETCore.Client;
using Tracing.Benchmarks.Subject;

namespace Tracing.Benchmarks;

/// <summary>
/// The EventPipe bridge with a session on: what the firing thread pays for one event with a string
/// and an int, written by the bridge (a woven event, its probe the bridge's sink), next to a
/// hand-written EventSource event (<c>WriteEventCore</c> with <c>EventData</c>) in the same session.
/// </summary>
/// <remarks>
/// The session is this process's own, opened through the diagnostics port as dotnet-trace opens
/// it (Microsoft.Diagnostics.NETCore.Client), with both providers, and drained by a thread that
/// throws the bytes away. Both cases write through the same EventPipe buffers, so events EventPipe
/// drops when the drain falls behind are dropped for both alike.
/// </remarks>
[Config(typeof(EventPipeConfig))]
[MemoryDiagnoser]
public class EventPipeBenchmarks
{
    const string Name = "request";
    EventPipeSession? _session;
    Thread? _drain;

    [GlobalSetup(Target = nameof(Trace_EventPipeBridge))]
    public void SetupBridge()
    {
        Open();
        // The bridge attaches on a thread-pool thread once the session's command arrives.
        var head = typeof(Tracepoints).GetField("<TraceOne>probes", BindingFlags.Static | BindingFlags.NonPublic)!;
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (head.GetValue(null) is null)
        {
            if (DateTime.UtcNow > deadline) throw new InvalidOperationException("The EventPipe bridge did not attach within 60 s.");
            Thread.Sleep(50);
        }
    }

    [GlobalSetup(Target = nameof(EventSource_WriteEventCore))]
    public void SetupEventSource()
    {
        Open();
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (!HandWrittenEventSource.Log.IsEnabled())
        {
            if (DateTime.UtcNow > deadline) throw new InvalidOperationException("The session did not enable the EventSource within 60 s.");
            Thread.Sleep(50);
        }
    }

    void Open()
    {
        Tracepoints.EnabledOneProbe(Name, 1); // the subject's module initializer has run: the Tracing EventSource is coming
        _ = HandWrittenEventSource.Log;
        var providers = new List<EventPipeProvider>
        {
            new("Tracing", EventLevel.Verbose, 1, new Dictionary<string, string> { ["events"] = "Tracing.Benchmarks.Subject.Tracepoints.TraceOne" }),
            new(HandWrittenEventSource.SourceName, EventLevel.Verbose, -1),
        };
        _session = new DiagnosticsClient(Environment.ProcessId).StartEventPipeSession(providers, requestRundown: false, circularBufferMB: 256);
        var stream = _session.EventStream;
        _drain = new Thread(() => stream.CopyTo(Stream.Null)) { IsBackground = true, Name = "drain" };
        _drain.Start();
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _session?.Stop();
        _drain?.Join(TimeSpan.FromSeconds(30));
        _session?.Dispose();
    }

    [Benchmark(OperationsPerInvoke = CallSiteBenchmarks.Calls)]
    public void EventSource_WriteEventCore() => HandWritten(Name, CallSiteBenchmarks.Calls);

    [Benchmark(OperationsPerInvoke = CallSiteBenchmarks.Calls)]
    public void Trace_EventPipeBridge() => Tracepoints.EnabledOneProbe(Name, CallSiteBenchmarks.Calls);

    [MethodImpl(MethodImplOptions.NoInlining)]
    static void HandWritten(string name, int count)
    {
        for (var i = 0; i < count; i++)
        {
            if (HandWrittenEventSource.Log.IsEnabled()) HandWrittenEventSource.Log.Item(name, i);
        }
    }
}

/// <summary>An EventSource event written by hand the fastest documented way: <c>WriteEventCore</c> with <c>EventData</c>.</summary>
[EventSource(Name = SourceName)]
sealed class HandWrittenEventSource : EventSource
{
    public const string SourceName = "Tracing-Benchmarks-HandWritten";
    public static readonly HandWrittenEventSource Log = new();

    HandWrittenEventSource() { }

    [Event(1, Level = EventLevel.Verbose)]
    public unsafe void Item(string name, int n)
    {
        fixed (char* text = name)
        {
            var data = stackalloc EventData[2];
            data[0].DataPointer = (IntPtr)text;
            data[0].Size = (name.Length + 1) * 2;
            data[1].DataPointer = (IntPtr)(&n);
            data[1].Size = sizeof(int);
            WriteEventCore(1, 2, data);
        }
    }
}
