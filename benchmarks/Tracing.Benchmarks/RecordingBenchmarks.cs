using System;
using BenchmarkDotNet.Jobs;
using System.Diagnostics.Tracing;
using System.IO;
using System.Threading;
using System.Threading.Tasks;
using BenchmarkDotNet.Attributes;
using Microsoft.Diagnostics.NETCore.Client;
using Tracing.Benchmarks.Subject;
using Tracing.Recording;

namespace Tracing.Benchmarks;

/// <summary>
/// The firing thread's cost of one recorded event with a string and an int argument, beside the
/// same event written by an EventSource (WriteEventCore) to an in-process EventListener and to an
/// EventPipe session started in-process (Microsoft.Diagnostics.NETCore.Client), and a call site
/// whose event the recorder does not select. The cases run in one process, one after the other.
/// </summary>
/// <remarks>
/// The recorder writes to a temporary file, with a 64 MiB buffer whose pages are all written once
/// before measuring (steady state). An iteration fires 64 × 1,024 events (4.5 MiB of buffer), and
/// the harness waits (unmeasured) for the writer to drain them after each: a loop firing flat out outruns any writer, and a drop costs less than a record,
/// so drops would flatter the recorder. GlobalCleanup prints how many events were recorded and
/// dropped while measuring (none, unless the writer fell a whole buffer behind), which
/// docs/benchmarks.md reports.
/// </remarks>
[Config(typeof(RecordingConfig))]
[MemoryDiagnoser]
public class RecordingBenchmarks
{
    public const int Calls = CallSiteBenchmarks.Calls;
    const string Name = "request";

    const int BufferSize = 64 << 20;

    TraceRecorder? _recorder;
    long _recordedBefore, _droppedBefore, _fired;
    string? _file;
    EventListener? _listener;
    DiagnosticsClient? _client;
    EventPipeSession? _session;
    Task? _reader;

    [GlobalSetup(Targets = new[] { nameof(Recorder_StringInt), nameof(Recorder_NotSelected) })]
    public void StartRecorder()
    {
        _file = Path.Combine(Path.GetTempPath(), $"tracing-bench-{Environment.ProcessId}.json");
        var options = new TraceRecorderOptions { Events = { RecordedSites.RecordedEvent }, ThreadBufferSize = BufferSize, Report = Console.Out };
        _recorder = TraceRecorder.Start(_file, options);
        // Every page of this thread's buffer written once before measuring: a first touch of
        // fresh memory costs a page fault (microseconds in this VM), which steady state never pays.
        const int Prefill = 2 * BufferSize / 24 / 3;
        for (var i = 0; i < Prefill / Calls; i++) RecordedSites.Recorded(Name, Calls);
        var fired = Prefill / Calls * Calls;
        SpinWait.SpinUntil(() => _recorder.RecordedEvents + _recorder.DroppedEvents >= fired, TimeSpan.FromSeconds(120));
        (_recordedBefore, _droppedBefore) = (_recorder.RecordedEvents, _recorder.DroppedEvents);
        _fired = _recordedBefore + _droppedBefore;
    }

    [IterationCleanup(Target = nameof(Recorder_StringInt))]
    public void WaitForTheWriter()
    {
        if (!SpinWait.SpinUntil(() => _recorder!.RecordedEvents + _recorder.DroppedEvents >= _fired, TimeSpan.FromSeconds(60)))
            throw new InvalidOperationException("the recorder's writer did not catch up in 60 s");
    }

    [GlobalSetup(Target = nameof(EventSource_InProcessListener))]
    public void StartListener() => _listener = new RecordingListener();

    [GlobalSetup(Target = nameof(EventSource_EventPipe))]
    public void StartEventPipe()
    {
        _client = new DiagnosticsClient(Environment.ProcessId);
        _session = _client.StartEventPipeSession(
            new EventPipeProvider(RecordingEventSource.SourceName, EventLevel.Verbose), requestRundown: false, circularBufferMB: 256);
        var stream = _session.EventStream;
        _reader = Task.Run(() => stream.CopyTo(Stream.Null)); // a session whose stream is not read fills and drops
        if (!SpinWait.SpinUntil(() => RecordingEventSource.Log.IsEnabled(), TimeSpan.FromSeconds(30)))
            throw new InvalidOperationException("the EventPipe session did not enable the event source");
    }

    [GlobalCleanup]
    public void Stop()
    {
        if (_recorder is not null)
        {
            _recorder.Dispose();
            Console.WriteLine($"// recorder, while measured: {_recorder.RecordedEvents - _recordedBefore} events recorded, {_recorder.DroppedEvents - _droppedBefore} dropped; " +
                              $"file: {new FileInfo(_file!).Length / Math.Max(1, _recorder.RecordedEvents)} bytes per event");
            File.Delete(_file!);
        }
        _listener?.Dispose();
        if (_session is not null)
        {
            _session.Stop();
            _reader!.Wait(TimeSpan.FromSeconds(30));
            _session.Dispose();
        }
    }

    [Benchmark(OperationsPerInvoke = Calls, Description = "Recorder: recorded event (string, int)")]
    public void Recorder_StringInt()
    {
        RecordedSites.Recorded(Name, Calls);
        _fired += Calls;
    }

    [Benchmark(OperationsPerInvoke = Calls, Description = "Recorder running, event not selected")]
    public void Recorder_NotSelected() => Tracepoints.Disabled(Name, Calls);

    [Benchmark(OperationsPerInvoke = Calls, Description = "EventSource (WriteEventCore) + in-process EventListener")]
    public void EventSource_InProcessListener() => RecordedSites.EventSourceCore(Name, Calls);

    [Benchmark(OperationsPerInvoke = Calls, Description = "EventSource (WriteEventCore) + in-process EventPipe session")]
    public void EventSource_EventPipe() => RecordedSites.EventSourceCore(Name, Calls);

    [Benchmark(OperationsPerInvoke = Calls, Description = "The clock alone (Stopwatch.GetTimestamp), same loop")]
    public long ClockOnly() => RecordedSites.ClockOnly(Calls);

    [Benchmark(OperationsPerInvoke = Calls, Description = "No recorder, disabled site")]
    public void NoRecorder_Disabled() => Tracepoints.Disabled(Name, Calls);

    sealed class RecordingListener : EventListener
    {
        protected override void OnEventSourceCreated(EventSource eventSource)
        {
            if (eventSource.Name == RecordingEventSource.SourceName) EnableEvents(eventSource, EventLevel.Verbose);
        }

        protected override void OnEventWritten(EventWrittenEventArgs eventData) => Sink.Count++;
    }
}

/// <summary>Recording: ns, ratio to the recorder's case.</summary>
class RecordingConfig : SuiteConfig
{
    public RecordingConfig() : base(Perfolizer.Horology.TimeUnit.Nanosecond)
    {
        // Fewer iterations than the suite's: fewer events for the writer to keep up with.
        // In process: the cases run one after the other, each with its own setup and cleanup (the
        // recorder, the listener and the session are stopped between them); it also spares a
        // build of the host project, which times out on this loaded machine.
        // Iterations of 64 invocations (65,536 events): the recorder's buffer holds several, and
        // the harness waits for the writer between them (RecordingBenchmarks.WaitForTheWriter).
        AddJob(Jobs.Short.WithWarmupCount(4).WithIterationCount(21).WithInvocationCount(64).WithUnrollFactor(1)
            .WithToolchain(BenchmarkDotNet.Toolchains.InProcess.Emit.InProcessEmitToolchain.Instance));
        AddColumn(new RatioColumn("vs recorder", "Ratio of the median to the recorded event's.",
            (summary, _) => System.Linq.Enumerable.FirstOrDefault(summary.Reports, r => r.BenchmarkCase.Descriptor.WorkloadMethod.Name == nameof(RecordingBenchmarks.Recorder_StringInt))));
    }
}
