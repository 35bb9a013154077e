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
/// own start, its manifest, the EventPipe provider; docs/benchmarks.md), which a module initializer
/// must not pay: the first call queues the creation on the thread pool and returns. This class
/// does not mention EventSource types, so that they are loaded there too. A session that starts
/// before the source exists is applied by EventPipe when the source registers.
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
            ThreadPool.UnsafeQueueUserWorkItem(new CreateSource(), preferLocal: false);
        }
        catch (Exception)
        {
            // The traced process must not fail because its diagnostics could not start.
        }
#endif
    }

#if NET
    sealed class CreateSource : IThreadPoolWorkItem
    {
        public void Execute() => TracingEventSource.Create();
    }

    // Native AOT and trimmed apps can switch EventSource off (EventSourceSupport=false).
    static bool IsSupported() =>
        !AppContext.TryGetSwitch("System.Diagnostics.Tracing.EventSource.IsSupported", out var on) || on;
#endif
}
