using System.Runtime.CompilerServices;

namespace Tracing.Benchmarks.Subject;

/// <summary>
/// A trace call alone in a small method that is called in the loop, as most call sites are: the
/// cost now includes what the call site adds to its method's frame (prolog, epilog, spills),
/// which a loop around the call site hides.
/// </summary>
public static class LoneSites
{
    [Trace.Event] internal static void TraceLone(string name, int n) { }
    [Trace.Event, MethodImpl(MethodImplOptions.NoInlining)] internal static void TraceLoneOutOfLine(string name, int n) { }

    [MethodImpl(MethodImplOptions.NoInlining)]
    public static void NoTrace(string name, int count)
    {
        for (var i = 0; i < count; i++) Work(name, i);
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    public static void Disabled(string name, int count)
    {
        for (var i = 0; i < count; i++) WorkTraced(name, i);
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    public static void DisabledExpensiveArgument(string name, int count)
    {
        for (var i = 0; i < count; i++) WorkTracedExpensive(name, i);
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    public static void DisabledExpensiveArgumentOutOfLine(string name, int count)
    {
        for (var i = 0; i < count; i++) WorkTracedExpensiveOutOfLine(name, i);
    }

    /// <summary>
    /// As <see cref="DisabledExpensiveArgument"/>, with the argument built in a method of its own:
    /// what the call site would cost if the weaver moved the skipped argument evaluation out of
    /// the caller (no interpolation handler in the caller's frame).
    /// </summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static void DisabledExpensiveArgumentOutlined(string name, int count)
    {
        for (var i = 0; i < count; i++) WorkTracedExpensiveOutlined(name, i);
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    static int Work(string name, int n) => n + name.Length;

    [MethodImpl(MethodImplOptions.NoInlining)]
    static int WorkTraced(string name, int n)
    {
        TraceLone(name, n);
        return n + name.Length;
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    static int WorkTracedExpensive(string name, int n)
    {
        TraceLone($"{name} #{n}", n);
        return n + name.Length;
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    static int WorkTracedExpensiveOutlined(string name, int n)
    {
        TraceLone(Expensive(name, n), n);
        return n + name.Length;
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    static string Expensive(string name, int n) => $"{name} #{n}";

    [MethodImpl(MethodImplOptions.NoInlining)]
    static int WorkTracedExpensiveOutOfLine(string name, int n)
    {
        TraceLoneOutOfLine($"{name} #{n}", n);
        return n + name.Length;
    }
}
