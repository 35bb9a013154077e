using System.Collections.Generic;
using System.Threading.Tasks;

namespace AssemblyWithInvalidEvents;

// Declarations that cannot have the empty body a trace event needs: each error says what to remove.
public abstract class AbstractEvents
{
    [Tracing.Trace.Event] internal abstract void TraceAbstract(int x);
    [Tracing.Trace.Event] internal virtual void TraceVirtual(int x) { }
#pragma warning disable CS0626 // extern without DllImport: the mistake under test
    [Tracing.Trace.Event] internal static extern void TraceExtern(int x);
#pragma warning restore CS0626
    [Tracing.Trace.Event] internal static async void TraceAsync(int x) { await Task.Yield(); }
    [Tracing.Trace.Event] internal static IEnumerable<int> TraceIterator(int x) { yield return x; }
}

public interface IEvents
{
    [Tracing.Trace.Event] void TraceInterface(int x);
    [Tracing.Trace.Event] static abstract void TraceStaticAbstract(int x);
    [Tracing.Trace.Event] static virtual void TraceStaticVirtual(int x) { }
}
