using System;
using System.Threading;

namespace Tracing.Internal;

/// <summary>Where the EventPipe bridge comes into being: the first woven assembly that starts running creates it.</summary>
/// <remarks>
/// <para>
/// The bridge needs .NET's EventPipe, so it exists only in the modern .NET build of the runtime;
/// the netstandard2.0 build (.NET Framework, whose EventSource writes to ETW only) has none.
/// </para>
/// <para>
/// Cost. Creating an EventSource takes milliseconds the first time in a process (EventSource's
/// own start, its manifest, the EventPipe provider: 7 to 20 ms measured here), which a module
/// initializer must not pay: the first call queues the creation on the thread pool and returns.
/// The work item is a delegate to a static method, so the registering thread loads no type of
/// ours and compiles no method of ours (a work-item class cost 20 to 30 µs more, its type load
/// and its constructor's JIT); with the pool running, the bridge adds about 40 µs to the first
/// registration (docs/benchmarks.md, <c>--bridge-startup</c>). A process whose first use of the
/// pool is this call pays the pool's start there (3 to 5 ms, once); every other way off the
/// registering thread costs as much or more (docs/eventpipe.md). This class does not mention
/// EventSource types, so that they are loaded on the pool thread too. A session that starts before
/// the source exists is applied by EventPipe when the source registers.
/// </para>
/// </remarks>
static class EventPipeHook
{
#if NET
    static int s_started;
#endif

    /// <summary>Called by <see cref="EventSupport.Register"/>, in a module initializer: never throws, never waits.</summary>
    public static void AssemblyStarted()
    {
#if NET
        if (Volatile.Read(ref s_started) != 0 || !IsSupported() || Interlocked.Exchange(ref s_started, 1) != 0) return;
        try
        {
            ThreadPool.UnsafeQueueUserWorkItem(CreateSource, null);
        }
        catch (Exception)
        {
            // The traced process must not fail because its diagnostics could not start.
        }
#endif
    }

#if NET
    static void CreateSource(object? state) => TracingEventSource.Create();

    /// <summary>The app's switch that turns the bridge off (docs/eventpipe.md, "Switching the bridge off").</summary>
    public const string Switch = "Tracing.EventPipe.IsSupported";

    // Off when the app says so, or when it has no EventSource at all (Native AOT and trimmed apps
    // can switch EventSource off: EventSourceSupport=false).
    static bool IsSupported() =>
        (!AppContext.TryGetSwitch(Switch, out var bridge) || bridge) &&
        (!AppContext.TryGetSwitch("System.Diagnostics.Tracing.EventSource.IsSupported", out var eventSource) || eventSource);
#endif
}
