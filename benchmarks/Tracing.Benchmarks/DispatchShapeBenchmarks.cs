using System;
using System.Runtime.CompilerServices;
using System.Threading;
using BenchmarkDotNet.Attributes;
using Tracing.Benchmarks.Subject;

namespace Tracing.Benchmarks;

/// <summary>
/// What-if measurements for the generated dispatch: hand-written C# shaped like the woven code
/// (ProbeListEmitter; AssemblyToProcess/Reference/WovenHello.cs), with one part changed at a time,
/// beside the woven event and the static event it is compared with. They motivate the proposals
/// in docs/benchmarks.md; the woven numbers are those of <see cref="CallSiteBenchmarks"/>.
/// </summary>
/// <remarks>
/// The bookkeeping here mirrors Tracing.Runtime's Dispatch.Enter/Exit (a [ThreadStatic] state
/// object, its Depth raised around the walk, Finished counted when the outermost walk ends).
/// </remarks>
[Config(typeof(DispatchShapeConfig))]
[MemoryDiagnoser]
public class DispatchShapeBenchmarks
{
    const int Calls = CallSiteBenchmarks.Calls;
    const string Name = "request";

    readonly ProbeGroup _probes = new();

    [GlobalSetup]
    public void Setup()
    {
        Trace.Setup(() => Tracepoints.AttachOne(_probes));
        Peers.Item += Sink.Receive;
        for (var i = 0; i < 4; i++) Peers.Multicast += Sink.Receive;
        Shapes.One = new Shapes.Node(Sink.Receive, null);
        Shapes.Four = new Shapes.Node(Sink.Receive, new Shapes.Node(Sink.Receive, new Shapes.Node(Sink.Receive, new Shapes.Node(Sink.Receive, null))));
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _probes.Done();
        Peers.Item -= Sink.Receive;
        Peers.Multicast = null;
    }

    [Benchmark(OperationsPerInvoke = Calls)]
    public void StaticEvent_1Handler() => Peers.StaticEvent(Name, Calls);

    [Benchmark(OperationsPerInvoke = Calls)]
    public void Woven_1Probe() => Tracepoints.EnabledOneProbe(Name, Calls);

    [Benchmark(OperationsPerInvoke = Calls)]
    public void AsWoven_1Probe() => Shapes.AsWoven(Name, Calls);

    [Benchmark(OperationsPerInvoke = Calls)]
    public void WithoutTryFinally_1Probe() => Shapes.WithoutTryFinally(Name, Calls);

    [Benchmark(OperationsPerInvoke = Calls)]
    public void ConstantStoreBookkeeping_1Probe() => Shapes.ConstantStores(Name, Calls);

    [Benchmark(OperationsPerInvoke = Calls)]
    public void WithoutBookkeeping_1Probe() => Shapes.WithoutBookkeeping(Name, Calls);

    [Benchmark(OperationsPerInvoke = Calls)]
    public void WithoutBookkeeping_SingleProbeAtCallSite_1Probe() => Shapes.SingleProbeAtCallSite(Name, Calls);

    [Benchmark(OperationsPerInvoke = Calls)]
    public void Multicast_4Targets() => Peers.MulticastDelegate(Name, Calls);

    [Benchmark(OperationsPerInvoke = Calls)]
    public void AsWoven_4Probes() => Shapes.AsWovenFour(Name, Calls);

    [Benchmark(OperationsPerInvoke = Calls)]
    public void WithoutBookkeeping_4Probes() => Shapes.WithoutBookkeepingFour(Name, Calls);
}

/// <summary>The hand-written dispatch shapes. Each loop is the call site's loop in Tracepoints.</summary>
static class Shapes
{
    public sealed class Node
    {
        public readonly Action<string, int> Func;
        public Node? Next;
        public Node(Action<string, int> func, Node? next) { Func = func; Next = next; }
    }

    public sealed class State
    {
        public int Depth, Finished;
    }

    public static Node? One, Four;

    [ThreadStatic] static State? t_state;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static State Enter()
    {
        var state = t_state ?? Register();
        Volatile.Write(ref state.Depth, state.Depth + 1);
        return state;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static void Exit(State state)
    {
        var depth = state.Depth - 1;
        if (depth == 0) Volatile.Write(ref state.Finished, state.Finished + 1);
        Volatile.Write(ref state.Depth, depth);
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    static State Register() => t_state = new State();

    // ---- as woven: check at the call site; in the event method, check, Enter, walk, Exit ----

    [MethodImpl(MethodImplOptions.NoInlining)]
    public static void AsWoven(string name, int count)
    {
        for (var i = 0; i < count; i++)
        {
            if (One != null) DispatchAsWoven(name, i);
        }
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    public static void AsWovenFour(string name, int count)
    {
        for (var i = 0; i < count; i++)
        {
            if (Four != null) DispatchAsWovenFour(name, i);
        }
    }

    static void DispatchAsWoven(string name, int n)
    {
        if (One == null) return;
        var state = Enter();
        try
        {
            for (var node = Volatile.Read(ref One); node != null; node = node.Next) node.Func(name, n);
        }
        finally
        {
            Exit(state);
        }
    }

    static void DispatchAsWovenFour(string name, int n)
    {
        if (Four == null) return;
        var state = Enter();
        try
        {
            for (var node = Volatile.Read(ref Four); node != null; node = node.Next) node.Func(name, n);
        }
        finally
        {
            Exit(state);
        }
    }

    // ---- the bookkeeping without the exception handler (not exception-safe: cost only) ------

    [MethodImpl(MethodImplOptions.NoInlining)]
    public static void WithoutTryFinally(string name, int count)
    {
        for (var i = 0; i < count; i++)
        {
            if (One != null) DispatchWithoutTryFinally(name, i);
        }
    }

    static void DispatchWithoutTryFinally(string name, int n)
    {
        if (One == null) return;
        var state = Enter();
        for (var node = Volatile.Read(ref One); node != null; node = node.Next) node.Func(name, n);
        Exit(state);
    }

    // ---- the same bookkeeping with constant stores on the outermost dispatch -----------------
    // Enter and Exit as in Tracing.Runtime read Depth, add, and store it: in back-to-back
    // dispatches every Enter waits for the previous Exit's store (store-to-load forwarding,
    // about 5 cycles each way). Here the outermost dispatch stores constants (Depth = 1, then 0);
    // the load of Depth feeds only a predicted branch, so no dispatch waits for the previous one
    // (Finished still counts, for Synchronize's progress check).

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static bool EnterOutermost(State state)
    {
        if (state.Depth == 0)
        {
            Volatile.Write(ref state.Depth, 1);
            return true;
        }
        Volatile.Write(ref state.Depth, state.Depth + 1);
        return false;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static void ExitOutermost(State state, bool outermost)
    {
        if (outermost)
        {
            Volatile.Write(ref state.Finished, state.Finished + 1);
            Volatile.Write(ref state.Depth, 0);
        }
        else
        {
            Volatile.Write(ref state.Depth, state.Depth - 1);
        }
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    public static void ConstantStores(string name, int count)
    {
        for (var i = 0; i < count; i++)
        {
            if (One != null) DispatchConstantStores(name, i);
        }
    }

    static void DispatchConstantStores(string name, int n)
    {
        if (One == null) return;
        var state = t_state ?? Register();
        var outermost = EnterOutermost(state);
        try
        {
            for (var node = Volatile.Read(ref One); node != null; node = node.Next) node.Func(name, n);
        }
        finally
        {
            ExitOutermost(state, outermost);
        }
    }

    // ---- no bookkeeping (what Trace.Synchronize costs the enabled path) ---------------------

    [MethodImpl(MethodImplOptions.NoInlining)]
    public static void WithoutBookkeeping(string name, int count)
    {
        for (var i = 0; i < count; i++)
        {
            if (One != null) DispatchWithoutBookkeeping(name, i);
        }
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    public static void WithoutBookkeepingFour(string name, int count)
    {
        for (var i = 0; i < count; i++)
        {
            if (Four != null) DispatchWithoutBookkeepingFour(name, i);
        }
    }

    /// <summary>One probe called at the call site, no loop and no call; the list walk otherwise.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static void SingleProbeAtCallSite(string name, int count)
    {
        for (var i = 0; i < count; i++)
        {
            var head = One;
            if (head != null)
            {
                if (head.Next == null) head.Func(name, i);
                else DispatchWithoutBookkeeping(name, i);
            }
        }
    }

    static void DispatchWithoutBookkeeping(string name, int n)
    {
        for (var node = Volatile.Read(ref One); node != null; node = node.Next) node.Func(name, n);
    }

    static void DispatchWithoutBookkeepingFour(string name, int n)
    {
        for (var node = Volatile.Read(ref Four); node != null; node = node.Next) node.Func(name, n);
    }
}
