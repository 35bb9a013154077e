using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Diagnostics.Tracing;
using System.Reflection;
using BenchmarkDotNet.Attributes;
using Microsoft.Extensions.Logging;
using Tracing.Benchmarks.Subject;

namespace Tracing.Benchmarks;

/// <summary>
/// One call site, fired <see cref="Calls"/> times per invocation, for each mechanism, with
/// nothing listening (Disabled) and with one listener that counts what it gets (Enabled). The
/// call sites are in Tracing.Benchmarks.Subject, woven by Tracing.Fody at its build.
/// </summary>
/// <remarks>
/// BenchmarkDotNet runs each case in a process of its own, so a case's setup (probes attached,
/// listeners subscribed) never leaks into another case.
/// </remarks>
[Config(typeof(CallSiteConfig))]
[MemoryDiagnoser]
public class CallSiteBenchmarks
{
    /// <summary>Calls per invocation: costs below a nanosecond add up to something measurable.</summary>
    public const int Calls = 1024;

    public const string Baseline = "Baseline", Disabled = "Disabled", Enabled = "Enabled";

    const string Name = "request";

    readonly ProbeGroup _probes = new();
    readonly List<IDisposable> _subscriptions = new();
    ILoggerFactory? _loggerFactory;
    ILogger _logger = null!;
    EventListener? _eventListener;
    ActivityListener? _activityListener;

    // ---- setup --------------------------------------------------------------------------------

    [GlobalSetup]
    public void Setup() => Common(LogLevel.Information);

    [GlobalSetup(Target = nameof(Trace_Enabled_1Probe))]
    public void SetupOneProbe()
    {
        Common(LogLevel.Information);
        Trace.Setup(() => Tracepoints.AttachOne(_probes));
    }

    [GlobalSetup(Target = nameof(Trace_Enabled_1Probe_OutOfLineDispatch))]
    public void SetupOneProbeOutOfLine()
    {
        Common(LogLevel.Information);
        Trace.Setup(() => Tracepoints.AttachOneOutOfLine(_probes));
    }

    [GlobalSetup(Target = nameof(Trace_Enabled_4Probes))]
    public void SetupFourProbes()
    {
        Common(LogLevel.Information);
        Trace.Setup(() =>
        {
            for (var i = 0; i < 4; i++) Tracepoints.AttachFour(_probes);
        });
    }

    [GlobalSetup(Target = nameof(StaticEvent_Enabled))]
    public void SetupStaticEvent()
    {
        Common(LogLevel.Information);
        Peers.Item += Sink.Receive;
    }

    [GlobalSetup(Target = nameof(Multicast4_Enabled))]
    public void SetupMulticast()
    {
        Common(LogLevel.Information);
        for (var i = 0; i < 4; i++) Peers.Multicast += Sink.Receive;
    }

    [GlobalSetup(Target = nameof(DiagnosticListener_Enabled))]
    public void SetupDiagnosticListener()
    {
        Common(LogLevel.Information);
        _subscriptions.Add(DiagnosticListener.AllListeners.Subscribe(new Observer<DiagnosticListener>(listener =>
        {
            if (listener.Name == Peers.DiagnosticListenerName)
                _subscriptions.Add(listener.Subscribe(new Observer<KeyValuePair<string, object?>>(_ => Sink.Count++)));
        })));
    }

    [GlobalSetup(Target = nameof(EventSource_Enabled))]
    public void SetupEventListener()
    {
        Common(LogLevel.Information);
        _eventListener = new CountingEventListener();
    }

    [GlobalSetup(Target = nameof(ActivitySource_Sampled))]
    public void SetupActivityListener()
    {
        Common(LogLevel.Information);
        _activityListener = new ActivityListener
        {
            ShouldListenTo = source => source.Name == Peers.ActivitySourceName,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStarted = _ => Sink.Count++,
        };
        ActivitySource.AddActivityListener(_activityListener);
    }

    [GlobalSetup(Target = nameof(LoggerMessage_Enabled))]
    public void SetupLoggerEnabled() => Common(LogLevel.Debug);

    void Common(LogLevel minimumLevel)
    {
        CheckWoven();
        // Debug messages are below the Information level, and at the Debug level.
        _loggerFactory = LoggerFactory.Create(builder => builder.SetMinimumLevel(minimumLevel).AddProvider(new CountingLoggerProvider()));
        _logger = _loggerFactory.CreateLogger("Tracing.Benchmarks");
    }

    /// <summary>Refuses to measure a subject that was not woven: the numbers would mean nothing.</summary>
    static void CheckWoven()
    {
        if (typeof(Tracepoints).GetField("<TraceOff>probes", BindingFlags.NonPublic | BindingFlags.Static) is null)
            throw new InvalidOperationException("Tracing.Benchmarks.Subject was not woven by Tracing.Fody: build it with Weaving.props and FodyWeavers.xml.");
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _probes.Done();
        Peers.Item -= Sink.Receive;
        Peers.Multicast = null;
        foreach (var subscription in _subscriptions) subscription.Dispose();
        _eventListener?.Dispose();
        _activityListener?.Dispose();
        _loggerFactory?.Dispose();
    }

    // ---- baselines ----------------------------------------------------------------------------

    [Benchmark(OperationsPerInvoke = Calls), BenchmarkCategory(Baseline)]
    public void EmptyLoop() => Baselines.EmptyLoop(Name, Calls);

    [Benchmark(OperationsPerInvoke = Calls), BenchmarkCategory(Baseline)]
    public void EmptyNoInliningCall() => Baselines.EmptyCall(Name, Calls);

    [Benchmark(OperationsPerInvoke = Calls), BenchmarkCategory(Baseline)]
    public void ExpensiveArgumentAlone() => Baselines.ExpensiveArgumentAlone(Name, Calls);

    // ---- woven trace events -------------------------------------------------------------------

    [Benchmark(OperationsPerInvoke = Calls), BenchmarkCategory(Disabled)]
    public void Trace_Disabled() => Tracepoints.Disabled(Name, Calls);

    [Benchmark(OperationsPerInvoke = Calls), BenchmarkCategory(Disabled)]
    public void Trace_Disabled_ExpensiveArgument() => Tracepoints.DisabledExpensiveArgument(Name, Calls);

    [Benchmark(OperationsPerInvoke = Calls), BenchmarkCategory(Enabled)]
    public void Trace_Enabled_1Probe() => Tracepoints.EnabledOneProbe(Name, Calls);

    [Benchmark(OperationsPerInvoke = Calls), BenchmarkCategory(Enabled)]
    public void Trace_Enabled_4Probes() => Tracepoints.EnabledFourProbes(Name, Calls);

    // What the call sites cost if the weaver kept the dispatch out of line (NoInlining).

    [Benchmark(OperationsPerInvoke = Calls), BenchmarkCategory(Disabled)]
    public void Trace_Disabled_OutOfLineDispatch() => Tracepoints.DisabledOutOfLine(Name, Calls);

    [Benchmark(OperationsPerInvoke = Calls), BenchmarkCategory(Enabled)]
    public void Trace_Enabled_1Probe_OutOfLineDispatch() => Tracepoints.EnabledOneProbeOutOfLine(Name, Calls);

    // ---- peers --------------------------------------------------------------------------------

    [Benchmark(OperationsPerInvoke = Calls), BenchmarkCategory(Disabled)]
    public void StaticEvent_Disabled() => Peers.StaticEvent(Name, Calls);

    [Benchmark(OperationsPerInvoke = Calls), BenchmarkCategory(Enabled)]
    public void StaticEvent_Enabled() => Peers.StaticEvent(Name, Calls);

    [Benchmark(OperationsPerInvoke = Calls), BenchmarkCategory(Disabled)]
    public void Multicast4_Disabled() => Peers.MulticastDelegate(Name, Calls);

    [Benchmark(OperationsPerInvoke = Calls), BenchmarkCategory(Enabled)]
    public void Multicast4_Enabled() => Peers.MulticastDelegate(Name, Calls);

    [Benchmark(OperationsPerInvoke = Calls), BenchmarkCategory(Disabled)]
    public void DiagnosticListener_Disabled() => Peers.DiagnosticListenerWrite(Name, Calls);

    [Benchmark(OperationsPerInvoke = Calls), BenchmarkCategory(Enabled)]
    public void DiagnosticListener_Enabled() => Peers.DiagnosticListenerWrite(Name, Calls);

    [Benchmark(OperationsPerInvoke = Calls), BenchmarkCategory(Disabled)]
    public void EventSource_Disabled() => Peers.EventSourceWrite(Name, Calls);

    [Benchmark(OperationsPerInvoke = Calls), BenchmarkCategory(Enabled)]
    public void EventSource_Enabled() => Peers.EventSourceWrite(Name, Calls);

    [Benchmark(OperationsPerInvoke = Calls), BenchmarkCategory(Disabled)]
    public void ActivitySource_NoListener() => Peers.ActivitySourceStart(Name, Calls);

    [Benchmark(OperationsPerInvoke = Calls), BenchmarkCategory(Enabled)]
    public void ActivitySource_Sampled() => Peers.ActivitySourceStart(Name, Calls);

    [Benchmark(OperationsPerInvoke = Calls), BenchmarkCategory(Disabled)]
    public void LoggerMessage_Disabled() => Peers.LoggerMessage(_logger, Name, Calls);

    [Benchmark(OperationsPerInvoke = Calls), BenchmarkCategory(Enabled)]
    public void LoggerMessage_Enabled() => Peers.LoggerMessage(_logger, Name, Calls);

    // ---- the expensive argument, evaluated before a peer's disabled check -----------------------

    [Benchmark(OperationsPerInvoke = Calls), BenchmarkCategory(Disabled)]
    public void EventSource_Disabled_EagerExpensiveArgument() => Peers.EventSourceExpensiveArgument(Name, Calls);

    [Benchmark(OperationsPerInvoke = Calls), BenchmarkCategory(Disabled)]
    public void LoggerMessage_Disabled_EagerExpensiveArgument() => Peers.LoggerMessageExpensiveArgument(_logger, Name, Calls);
}
