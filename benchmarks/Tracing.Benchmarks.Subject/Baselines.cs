using System.Runtime.CompilerServices;

namespace Tracing.Benchmarks.Subject;

/// <summary>What every measured call site is compared with.</summary>
public static class Baselines
{
    /// <summary>The loop every case runs, with nothing in it: the floor.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static void EmptyLoop(string name, int count)
    {
        for (var i = 0; i < count; i++) { }
    }

    /// <summary>The loop with a call of a method that does nothing and is never inlined.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static void EmptyCall(string name, int count)
    {
        for (var i = 0; i < count; i++) Empty(name, i);
    }

    /// <summary>The cost of computing the expensive argument, with nothing to pass it to.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static void ExpensiveArgumentAlone(string name, int count)
    {
        for (var i = 0; i < count; i++) Keep($"{name} #{i}");
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    static void Empty(string name, int n) { }

    [MethodImpl(MethodImplOptions.NoInlining)]
    static void Keep(string value) { }
}
