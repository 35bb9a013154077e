using System.Diagnostics;
using System.Runtime.CompilerServices;

namespace Tracing.Benchmarks.Subject;

/// <summary>
/// What the profiling benchmarks measure: an event fired from a known depth, and the floor .NET
/// sets for capturing a stack there, <c>new StackTrace(false)</c> taken as deep as the profile's
/// sink takes it.
/// </summary>
public static class Profiled
{
    [Trace.Event] public static void TraceSample(int length) { }

    /// <summary>Recurses <paramref name="depth"/> frames, then fires TraceSample <paramref name="count"/> times.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static void Fire(int depth, int count)
    {
        if (depth > 0)
        {
            Fire(depth - 1, count);
            return;
        }
        for (var i = 0; i < count; i++) TraceSample(i);
    }

    /// <summary>
    /// Recurses <paramref name="depth"/> frames, then captures the stack <paramref name="count"/>
    /// times through three frames, which stand for the dispatch, the adapter and the sink.
    /// </summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static void Capture(int depth, int count)
    {
        if (depth > 0)
        {
            Capture(depth - 1, count);
            return;
        }
        for (var i = 0; i < count; i++) Dispatch();
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    static void Dispatch() => Adapter();

    [MethodImpl(MethodImplOptions.NoInlining)]
    static void Adapter() => SinkFrame();

    [MethodImpl(MethodImplOptions.NoInlining)]
    static void SinkFrame() => Sink.Keep = new StackTrace(false);

    /// <summary>Fires TraceSample <paramref name="count"/> times from ten places in turn: ten distinct stacks.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static void FireFromTenPlaces(long count)
    {
        for (long i = 0; i < count; i++)
        {
            switch (i % 10)
            {
                case 0: Place0(); break;
                case 1: Place1(); break;
                case 2: Place2(); break;
                case 3: Place3(); break;
                case 4: Place4(); break;
                case 5: Place5(); break;
                case 6: Place6(); break;
                case 7: Place7(); break;
                case 8: Place8(); break;
                default: Place9(); break;
            }
        }
    }

    [MethodImpl(MethodImplOptions.NoInlining)] static void Place0() => TraceSample(0);
    [MethodImpl(MethodImplOptions.NoInlining)] static void Place1() => TraceSample(1);
    [MethodImpl(MethodImplOptions.NoInlining)] static void Place2() => TraceSample(2);
    [MethodImpl(MethodImplOptions.NoInlining)] static void Place3() => TraceSample(3);
    [MethodImpl(MethodImplOptions.NoInlining)] static void Place4() => TraceSample(4);
    [MethodImpl(MethodImplOptions.NoInlining)] static void Place5() => TraceSample(5);
    [MethodImpl(MethodImplOptions.NoInlining)] static void Place6() => TraceSample(6);
    [MethodImpl(MethodImplOptions.NoInlining)] static void Place7() => TraceSample(7);
    [MethodImpl(MethodImplOptions.NoInlining)] static void Place8() => TraceSample(8);
    [MethodImpl(MethodImplOptions.NoInlining)] static void Place9() => TraceSample(9);
}
